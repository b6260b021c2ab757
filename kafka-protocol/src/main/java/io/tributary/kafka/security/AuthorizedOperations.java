package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;

import java.util.List;

/**
 * KIP-430's authorized operations: a bit field, bit {@code code} set for each operation the principal may
 * perform on a resource, of the operations Kafka defines for the resource's type
 * ({@code AclEntry.supportedOperations}).
 */
final class AuthorizedOperations {
    private static final List<Operation> TOPIC = List.of(Operation.READ, Operation.WRITE, Operation.CREATE,
            Operation.DESCRIBE, Operation.DELETE, Operation.ALTER, Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS);
    private static final List<Operation> GROUP = List.of(Operation.READ, Operation.DESCRIBE, Operation.DELETE,
            Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS);
    private static final List<Operation> CLUSTER = List.of(Operation.CREATE, Operation.CLUSTER_ACTION,
            Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS, Operation.IDEMPOTENT_WRITE, Operation.ALTER,
            Operation.DESCRIBE);

    private AuthorizedOperations() {
    }

    static int of(Access access, ResourceType type, String name) {
        List<Operation> supported = switch (type) {
            case TOPIC -> TOPIC;
            case GROUP -> GROUP;
            case CLUSTER -> CLUSTER;
            default -> throw new IllegalArgumentException("no authorized operations for " + type);
        };
        int bits = 0;
        for (Operation operation : supported) {
            if (access.may(operation, type, name)) {
                bits |= 1 << operation.code();
            }
        }
        return bits;
    }
}
