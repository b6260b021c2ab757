package io.tributary.security.acl;

/** ALLOW or DENY, with Kafka's wire codes. */
public enum Permission {
    ANY(1), DENY(2), ALLOW(3);

    private final byte code;

    Permission(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static Permission of(byte code) {
        for (Permission p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return null;
    }
}
