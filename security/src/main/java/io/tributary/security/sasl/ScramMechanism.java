package io.tributary.security.sasl;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** The SCRAM mechanisms Kafka supports, with its limits on iterations. */
public enum ScramMechanism {
    SCRAM_SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", (byte) 1),
    SCRAM_SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", (byte) 2);

    /** Kafka's bounds for the iteration count of a stored credential. */
    public static final int MIN_ITERATIONS = 4096;
    public static final int MAX_ITERATIONS = 16384;

    private final String mechanismName;
    private final String digest;
    private final String hmac;
    private final byte type;

    ScramMechanism(String mechanismName, String digest, String hmac, byte type) {
        this.mechanismName = mechanismName;
        this.digest = digest;
        this.hmac = hmac;
        this.type = type;
    }

    public String mechanismName() {
        return mechanismName;
    }

    /** Kafka's wire id of the mechanism (DescribeUserScramCredentials, AlterUserScramCredentials). */
    public byte type() {
        return type;
    }

    /** The mechanism of this name, or {@code null}. */
    public static ScramMechanism forName(String name) {
        for (ScramMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** The mechanism of this wire id, or {@code null}. */
    public static ScramMechanism forType(byte type) {
        for (ScramMechanism m : values()) {
            if (m.type == type) {
                return m;
            }
        }
        return null;
    }

    byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is missing from this JDK", e);
        }
    }

    byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is missing from this JDK", e);
        }
    }

    /** RFC 5802's Hi(): PBKDF2 with this HMAC, one block. */
    public byte[] saltedPassword(byte[] password, byte[] salt, int iterations) {
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        byte[] u = hmac(password, block);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(password, u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }
}
