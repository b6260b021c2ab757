package io.tributary.security.acl;

import java.util.Set;

/** What a principal does to a resource, with Kafka's wire codes. */
public enum Operation {
    ANY(1), ALL(2), READ(3), WRITE(4), CREATE(5), DELETE(6), ALTER(7), DESCRIBE(8), CLUSTER_ACTION(9),
    DESCRIBE_CONFIGS(10), ALTER_CONFIGS(11), IDEMPOTENT_WRITE(12), CREATE_TOKENS(13), DESCRIBE_TOKENS(14),
    TWO_PHASE_COMMIT(15);

    private final byte code;

    Operation(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static Operation of(byte code) {
        for (Operation o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        return null;
    }

    /**
     * The operations an ALLOW of this one also allows, as in Kafka: DESCRIBE comes with READ, WRITE,
     * DELETE and ALTER; DESCRIBE_CONFIGS with ALTER_CONFIGS. A DENY implies nothing more.
     */
    Set<Operation> allowedWith() {
        return switch (this) {
            case READ, WRITE, DELETE, ALTER -> Set.of(this, DESCRIBE);
            case ALTER_CONFIGS -> Set.of(this, DESCRIBE_CONFIGS);
            default -> Set.of(this);
        };
    }
}
