package io.tributary.security.sasl;

/** A refused SASL exchange; the message is safe to send to the client (it never holds a secret). */
public final class SaslFailure extends Exception {
    public SaslFailure(String message) {
        super(message);
    }
}
