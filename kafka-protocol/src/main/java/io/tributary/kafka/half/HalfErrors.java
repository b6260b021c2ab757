package io.tributary.kafka.half;

import io.tributary.transactions.HalfTransactionException;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletionException;

/** Kafka error codes for the coordinator's refusals (the table in docs/protocol.md). */
final class HalfErrors {
    private HalfErrors() {
    }

    static short code(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HalfTransactionException h) {
            return switch (h.error()) {
                case NONE -> Errors.NONE.code();
                case UNKNOWN_TOPIC_OR_PARTITION -> Errors.UNKNOWN_TOPIC_OR_PARTITION.code();
                case DUPLICATE_TRANSACTION -> Errors.DUPLICATE_RESOURCE.code();
                case UNKNOWN_TRANSACTION -> Errors.TRANSACTIONAL_ID_NOT_FOUND.code();
                case ALREADY_DECIDED -> Errors.INVALID_TXN_STATE.code();
                case STORAGE_ERROR -> Errors.KAFKA_STORAGE_ERROR.code();
            };
        }
        if (cause instanceof IllegalStateException) {
            return Errors.COORDINATOR_NOT_AVAILABLE.code();
        }
        return Errors.UNKNOWN_SERVER_ERROR.code();
    }

    static String message(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
