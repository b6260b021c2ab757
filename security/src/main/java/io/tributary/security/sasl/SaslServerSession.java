package io.tributary.security.sasl;

import io.tributary.security.Principal;

/** The server side of one SASL exchange; one thread at a time. */
public interface SaslServerSession {
    /** The mechanism's name, e.g. {@code SCRAM-SHA-256}. */
    String mechanism();

    /**
     * Takes the client's next token and returns the server's answer (empty when there is none).
     *
     * @throws SaslFailure if the client is refused; the exchange is over
     */
    byte[] evaluate(byte[] response) throws SaslFailure;

    /** Whether the exchange has finished successfully. */
    boolean complete();

    /** The authenticated principal; only once {@link #complete()}. */
    Principal principal();
}
