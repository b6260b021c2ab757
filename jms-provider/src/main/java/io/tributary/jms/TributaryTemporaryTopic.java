package io.tributary.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/** A topic that lives as long as the connection that created it; only that connection may consume from it. */
public final class TributaryTemporaryTopic extends TributaryTopic implements TemporaryTopic {
    private static final long serialVersionUID = 1L;
    private final transient TributaryConnection owner;

    TributaryTemporaryTopic(String name, TributaryConnection owner) {
        super(name);
        this.owner = owner;
    }

    @Override
    String scheme() {
        return "temp-topic";
    }

    TributaryConnection owner() {
        return owner;
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new jakarta.jms.IllegalStateException("only the connection that created " + this + " may delete it");
        }
        owner.deleteTemporary(this);
    }
}
