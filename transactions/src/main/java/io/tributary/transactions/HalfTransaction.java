package io.tributary.transactions;

import java.util.concurrent.CompletableFuture;

/** The coordinator's view of one half transaction. Used by the coordinator thread only. */
final class HalfTransaction {
    enum State {
        /** Sent, undecided: invisible to every consumer. */
        PREPARED,
        /** Commit decided and stored; the records may or may not be in the target yet. */
        COMMITTING,
        /** The records are in the target. */
        COMMITTED,
        ROLLED_BACK
    }

    final String producerGroup;
    final String transactionId;
    final String topic;
    final int partition;
    final long createdMs;
    State state;
    /** Null once decided. */
    HalfMessage message;
    int checks;
    long lastCheckMs;
    /** When it was decided (COMMITTED or ROLLED_BACK stored; at replay, that record's timestamp); -1 before. */
    long decidedMs = -1L;
    /** For COMMITTING: the target's log end offset before the records were appended. */
    long scanFrom = -1L;
    /** The commit under way, joined by a repeated commit. */
    CompletableFuture<Void> committing;

    HalfTransaction(String producerGroup, String transactionId, String topic, int partition, long createdMs,
                    State state, HalfMessage message) {
        this.producerGroup = producerGroup;
        this.transactionId = transactionId;
        this.topic = topic;
        this.partition = partition;
        this.createdMs = createdMs;
        this.state = state;
        this.message = message;
    }

    String key() {
        return key(producerGroup, transactionId);
    }

    static String key(String producerGroup, String transactionId) {
        return producerGroup + '\u0000' + transactionId;
    }

    boolean decided() {
        return state != State.PREPARED;
    }
}
