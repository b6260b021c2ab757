package io.tributary.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/**
 * A queue that lives as long as the connection that created it; only that connection may consume from it. Its
 * one consumer at a time reads it from the start, so it needs no share group (a typical reply queue); a second
 * concurrent consumer would need queue semantics and is refused.
 */
public final class TributaryTemporaryQueue extends TributaryQueue implements TemporaryQueue {
    private static final long serialVersionUID = 1L;
    private final transient TributaryConnection owner;

    TributaryTemporaryQueue(String name, TributaryConnection owner) {
        super(name);
        this.owner = owner;
    }

    @Override
    String scheme() {
        return "temp-queue";
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
