package io.tributary.security.sasl;

import io.tributary.security.Principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * SASL PLAIN (RFC 4616): one client message {@code [authzid] NUL username NUL password}, checked
 * against static users. As in Kafka, an authorization id other than the user name is refused.
 */
final class PlainServer implements SaslServerSession {
    static final String MECHANISM = "PLAIN";
    private static final String INVALID = "Authentication failed: Invalid username or password";

    private final Map<String, String> users;
    private Principal principal;

    PlainServer(Map<String, String> users) {
        this.users = users;
    }

    @Override
    public String mechanism() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluate(byte[] response) throws SaslFailure {
        if (principal != null) {
            throw new SaslFailure("PLAIN takes one message");
        }
        String text = new String(response, StandardCharsets.UTF_8);
        int first = text.indexOf('\0');
        int second = first < 0 ? -1 : text.indexOf('\0', first + 1);
        if (first < 0 || second < 0 || text.indexOf('\0', second + 1) >= 0) {
            throw new SaslFailure("Invalid SASL/PLAIN response: expected 3 tokens");
        }
        String authzid = text.substring(0, first);
        String user = text.substring(first + 1, second);
        String password = text.substring(second + 1);
        if (user.isEmpty()) {
            throw new SaslFailure("Authentication failed: username not specified");
        }
        if (password.isEmpty()) {
            throw new SaslFailure("Authentication failed: password not specified");
        }
        String expected = users.get(user);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8))) {
            throw new SaslFailure(INVALID);
        }
        if (!authzid.isEmpty() && !authzid.equals(user)) {
            throw new SaslFailure("Authentication failed: Client requested an authorization id that is different from username");
        }
        principal = Principal.user(user);
        return new byte[0];
    }

    @Override
    public boolean complete() {
        return principal != null;
    }

    @Override
    public Principal principal() {
        return principal;
    }
}
