package io.tributary.kafka.api;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;

import java.util.List;
import java.util.function.Predicate;

/**
 * KIP-430's authorized operations: a bit field, bit {@code code} set for each operation allowed on a resource, of
 * the operations Kafka defines for the resource's type ({@code AclEntry.supportedOperations}). The {@code ALL_}
 * fields are what Kafka answers when no authorizer is configured; with one, the authorization gate answers the
 * principal's own.
 */
public final class OperationBits {
    /** The field's value when the operations were not asked for. */
    public static final int NOT_ASKED = Integer.MIN_VALUE;

    private static final List<Operation> TOPIC = List.of(Operation.READ, Operation.WRITE, Operation.CREATE,
            Operation.DESCRIBE, Operation.DELETE, Operation.ALTER, Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS);
    private static final List<Operation> GROUP = List.of(Operation.READ, Operation.DESCRIBE, Operation.DELETE,
            Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS);
    private static final List<Operation> CLUSTER = List.of(Operation.CREATE, Operation.CLUSTER_ACTION,
            Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS, Operation.IDEMPOTENT_WRITE, Operation.ALTER,
            Operation.DESCRIBE);

    /** Every topic operation. */
    public static final int ALL_TOPIC = of(ResourceType.TOPIC, operation -> true);
    /** Every group operation. */
    public static final int ALL_GROUP = of(ResourceType.GROUP, operation -> true);
    /** Every cluster operation. */
    public static final int ALL_CLUSTER = of(ResourceType.CLUSTER, operation -> true);

    private OperationBits() {
    }

    /** The bit field of the operations Kafka defines for {@code type} that {@code allowed} accepts. */
    public static int of(ResourceType type, Predicate<Operation> allowed) {
        List<Operation> supported = switch (type) {
            case TOPIC -> TOPIC;
            case GROUP -> GROUP;
            case CLUSTER -> CLUSTER;
            default -> throw new IllegalArgumentException("no authorized operations for " + type);
        };
        int bits = 0;
        for (Operation operation : supported) {
            if (allowed.test(operation)) {
                bits |= 1 << operation.code();
            }
        }
        return bits;
    }
}
