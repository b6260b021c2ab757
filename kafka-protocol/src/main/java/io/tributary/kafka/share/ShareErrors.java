package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareError;
import org.apache.kafka.common.protocol.Errors;

/** The Kafka error of each engine error. */
final class ShareErrors {
    private ShareErrors() {
    }

    static Errors of(ShareError error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case INVALID_RECORD_STATE -> Errors.INVALID_RECORD_STATE;
            case UNKNOWN_MEMBER_ID -> Errors.UNKNOWN_MEMBER_ID;
            case FENCED_MEMBER_EPOCH -> Errors.FENCED_MEMBER_EPOCH;
            case GROUP_MAX_SIZE_REACHED -> Errors.GROUP_MAX_SIZE_REACHED;
            case INVALID_REQUEST -> Errors.INVALID_REQUEST;
            case INCONSISTENT_GROUP_PROTOCOL -> Errors.INCONSISTENT_GROUP_PROTOCOL;
            case GROUP_ID_NOT_FOUND -> Errors.GROUP_ID_NOT_FOUND;
            case NON_EMPTY_GROUP -> Errors.NON_EMPTY_GROUP;
            // as a classic group's JoinGroup with protocols the members do not share: fatal to the joining client
            case INCONSISTENT_DEFINITION -> Errors.INCONSISTENT_GROUP_PROTOCOL;
        };
    }
}
