package io.tributary.security.sasl;

import java.nio.charset.StandardCharsets;

/**
 * What the server keeps of a SCRAM password (RFC 5802): never the password, only the salt, the
 * iteration count and the two keys derived from the salted password.
 */
public record ScramCredential(ScramMechanism mechanism, byte[] salt, byte[] storedKey, byte[] serverKey,
                              int iterations) {

    /** From the salted password an AlterUserScramCredentials request carries. */
    public static ScramCredential fromSaltedPassword(ScramMechanism mechanism, byte[] salt, byte[] saltedPassword,
                                                     int iterations) {
        byte[] clientKey = mechanism.hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = mechanism.hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredential(mechanism, salt.clone(), mechanism.hash(clientKey), serverKey, iterations);
    }

    /** From a password (tests, and tools that hold the password). */
    public static ScramCredential fromPassword(ScramMechanism mechanism, String password, byte[] salt, int iterations) {
        return fromSaltedPassword(mechanism, salt,
                mechanism.saltedPassword(password.getBytes(StandardCharsets.UTF_8), salt, iterations), iterations);
    }
}
