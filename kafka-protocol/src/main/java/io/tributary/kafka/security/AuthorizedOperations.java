package io.tributary.kafka.security;

import io.tributary.kafka.api.OperationBits;
import io.tributary.security.acl.ResourceType;

/** KIP-430's authorized operations of the request's principal on one resource ({@link OperationBits}). */
final class AuthorizedOperations {
    private AuthorizedOperations() {
    }

    static int of(Access access, ResourceType type, String name) {
        return OperationBits.of(type, operation -> access.may(operation, type, name));
    }
}
