package io.tributary.jms;

import jakarta.jms.Queue;

/**
 * A JMS queue name. Sending to it appends to the Tributary topic of that name (so Kafka consumers read it);
 * receiving from a queue needs the broker's share groups, which this provider does not use yet.
 */
public class TributaryQueue extends TributaryDestination implements Queue {
    private static final long serialVersionUID = 1L;

    /** The queue {@code name}; a JNDI-bound or admin object. */
    public TributaryQueue(String name) {
        super(name);
    }

    @Override
    String scheme() {
        return "queue";
    }

    @Override
    public String getQueueName() {
        return name();
    }
}
