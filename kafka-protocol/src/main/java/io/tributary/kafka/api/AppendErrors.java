package io.tributary.kafka.api;

import io.tributary.pipeline.AppendError;
import org.apache.kafka.common.protocol.Errors;

/** The Kafka error code for each way an append can fail. */
final class AppendErrors {
    private AppendErrors() {
    }

    static Errors toKafka(AppendError error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case CORRUPT_MESSAGE -> Errors.CORRUPT_MESSAGE;
            case RECORD_TOO_LARGE -> Errors.MESSAGE_TOO_LARGE;
            case INVALID_RECORD -> Errors.INVALID_RECORD;
            case OUT_OF_ORDER_SEQUENCE -> Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
            case INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
            case UNKNOWN_PRODUCER_ID -> Errors.UNKNOWN_PRODUCER_ID;
            case INVALID_TXN_STATE -> Errors.INVALID_TXN_STATE;
            case STORAGE_ERROR -> Errors.KAFKA_STORAGE_ERROR;
            case INVALID_TIMESTAMP -> Errors.INVALID_TIMESTAMP;
        };
    }
}
