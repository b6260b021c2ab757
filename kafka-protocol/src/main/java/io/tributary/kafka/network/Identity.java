package io.tributary.kafka.network;

import io.tributary.security.Principal;

/**
 * Who one connection is: {@code User:ANONYMOUS} until the TLS handshake names a client certificate
 * or SASL authenticates a user. Set on the connection's event loop, read by its requests.
 */
public final class Identity {
    private volatile Principal principal = Principal.ANONYMOUS;

    public Principal principal() {
        return principal;
    }

    public void authenticated(Principal principal) {
        this.principal = principal;
    }
}
