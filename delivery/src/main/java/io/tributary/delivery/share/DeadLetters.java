package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where the engine writes dead letters (KIP-1191): a topic of the log, through the ingest pipeline. */
public interface DeadLetters {
    /** Writes nothing and fails every write: records are archived without a dead letter, with an error logged. */
    DeadLetters NONE = (groupId, source, topic, copyRecord, letters) ->
            CompletableFuture.failedFuture(new IllegalStateException("no dead-letter writer"));

    /**
     * Appends one dead letter per element of {@code letters} (records of {@code source} in share group
     * {@code groupId}) to {@code topic}, with the {@code __dlq.errors.*} headers and, when {@code copyRecord},
     * the original key and value. Completes once the append is durable (the topic's flush policy), or
     * exceptionally if the topic may not be used or the append failed. Must not block the caller.
     */
    CompletableFuture<Void> write(String groupId, TopicPartition source, String topic, boolean copyRecord,
                                  List<DeadLetter> letters);
}
