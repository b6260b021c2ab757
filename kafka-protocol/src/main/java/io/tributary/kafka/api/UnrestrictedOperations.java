package io.tributary.kafka.api;

import org.apache.kafka.common.acl.AclOperation;

/**
 * KIP-430's authorized operations of a principal nothing restricts: every operation Kafka defines for the
 * resource type ({@code AclEntry.supportedOperations}), as a bit field with bit {@code code} per operation.
 * Kafka answers these when no authorizer is configured; with one, the authorization gate replaces them
 * with the principal's own.
 */
public final class UnrestrictedOperations {
    /** READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS. */
    public static final int TOPIC = bits(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
            AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);
    /** READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS. */
    public static final int GROUP = bits(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    /** CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE. */
    public static final int CLUSTER = bits(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER, AclOperation.DESCRIBE);
    /** The field's value when the operations were not asked for. */
    public static final int NOT_ASKED = Integer.MIN_VALUE;

    private UnrestrictedOperations() {
    }

    private static int bits(AclOperation... operations) {
        int bits = 0;
        for (AclOperation operation : operations) {
            bits |= 1 << operation.code();
        }
        return bits;
    }
}
