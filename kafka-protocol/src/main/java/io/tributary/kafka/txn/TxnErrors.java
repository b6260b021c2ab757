package io.tributary.kafka.txn;

import io.tributary.transactions.TxnError;
import org.apache.kafka.common.protocol.Errors;

/** Kafka's error code for each coordinator outcome, by API version where Kafka's differs. */
public final class TxnErrors {
    private TxnErrors() {
    }

    /** The Kafka error of the same name. */
    public static Errors toKafka(TxnError error) {
        return Errors.valueOf(error.name());
    }

    /**
     * As {@link #toKafka(TxnError)}, but PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH for API
     * versions before {@code fencedSince}, which do not know it (as Kafka answers older clients).
     */
    public static Errors toKafka(TxnError error, short version, int fencedSince) {
        if (error == TxnError.PRODUCER_FENCED && version < fencedSince) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return toKafka(error);
    }

    /** The error for a coordinator future that failed (the coordinator is closing). */
    static Errors ofFailure(Throwable failure) {
        return failure == null ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE;
    }
}
