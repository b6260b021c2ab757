package io.tributary.security;

import java.util.Objects;

/**
 * Who a connection is, as Kafka writes it in ACLs and {@code super.users}: {@code User:alice}.
 * A connection that authenticated nothing (PLAINTEXT, or TLS without a client certificate) is
 * {@link #ANONYMOUS}; TLS with a client certificate gives {@code User:} and the certificate's
 * subject as RFC 2253 prints it ({@code CN=client,OU=test}), as Kafka's default principal builder does.
 */
public record Principal(String type, String name) {
    public static final String USER_TYPE = "User";
    public static final Principal ANONYMOUS = new Principal(USER_TYPE, "ANONYMOUS");

    public Principal {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static Principal user(String name) {
        return new Principal(USER_TYPE, name);
    }

    @Override
    public String toString() {
        return type + ":" + name;
    }
}
