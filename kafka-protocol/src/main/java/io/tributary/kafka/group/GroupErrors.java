package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupError;
import org.apache.kafka.common.protocol.Errors;

import java.util.EnumMap;
import java.util.Map;

/** The Kafka error code of each {@link GroupError}; they share names. */
final class GroupErrors {
    private static final Map<GroupError, Errors> CODES = new EnumMap<>(GroupError.class);

    static {
        for (GroupError error : GroupError.values()) {
            CODES.put(error, Errors.valueOf(error.name()));
        }
    }

    private GroupErrors() {
    }

    static short code(GroupError error) {
        return CODES.get(error).code();
    }
}
