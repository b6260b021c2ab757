package io.tributary.jms;

import jakarta.jms.Queue;

/**
 * A JMS queue name. Sending to it appends to the Tributary topic of that name (so Kafka consumers read it);
 * a receiver is a member of the queue's share group {@code jms-queue:<name>}.
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
