package io.tributary.jms;

import jakarta.jms.Topic;

/** A JMS topic: every subscriber reads every record of the Tributary topic of this name. */
public class TributaryTopic extends TributaryDestination implements Topic {
    private static final long serialVersionUID = 1L;

    /** The topic {@code name}; a JNDI-bound or admin object. Checked for a legal name when used. */
    public TributaryTopic(String name) {
        super(name);
    }

    @Override
    String scheme() {
        return "topic";
    }

    @Override
    public String getTopicName() {
        return name();
    }
}
