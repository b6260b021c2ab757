package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.share.Acknowledgement;
import io.tributary.delivery.share.ShareEngine;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The acknowledgement batches of one partition (from ShareFetch or ShareAcknowledge): checked whole first
 * ({@link #wellFormed(List)}), then applied. A batch carries either one type for its whole range or one type
 * per offset; consecutive offsets of equal type go to the engine as one range, and the engine takes the partition's
 * ranges together: one it refuses refuses them all, and none of the partition's batches is applied, as Kafka's share
 * partition rolls back the batches before a refused one. The answer waits until the share partition's new state is
 * durable; a refusal changed nothing and is answered at once.
 */
final class Acknowledgements {
    private static final Logger LOG = LoggerFactory.getLogger(Acknowledgements.class);

    private Acknowledgements() {
    }

    /** One batch as both request versions carry it. */
    record Batch(long firstOffset, long lastOffset, List<Byte> types) {
    }

    /**
     * The partition's acknowledgement error, and a future that completes when what was applied is durable
     * (exceptionally if writing it failed).
     */
    record Outcome(Errors error, CompletableFuture<Void> durable) {
    }

    /**
     * Whether the batches of one partition are well formed, as Kafka's broker checks them before it looks at the
     * topic's ACLs or partitions: each range non-empty ({@code first <= last}), none starting before the previous
     * one's last offset (a range may start on it, as Kafka lets it), one type or one per offset, each type one
     * Kafka defines. A partition whose batches are not is answered INVALID_REQUEST and none of them is applied;
     * the other partitions of the request are served. Tributary also refuses negative offsets here.
     */
    static boolean wellFormed(List<Batch> batches) {
        long previousLast = -1;
        for (Batch batch : batches) {
            long first = batch.firstOffset();
            long last = batch.lastOffset();
            List<Byte> types = batch.types();
            if (first < 0 || first > last || first < previousLast || types.isEmpty()
                    || types.size() > 1 && last - first != types.size() - 1
                    || types.stream().anyMatch(t -> AckTypes.of(t) == null)) {
                return false;
            }
            previousLast = last;
        }
        return true;
    }

    /** {@link #wellFormed(List)}, with a line in the log when they are not. */
    static boolean wellFormed(String group, String member, TopicPartition tp, List<Batch> batches) {
        if (wellFormed(batches)) {
            return true;
        }
        LOG.info("Share group {} member {}: acknowledgement of {} refused: INVALID_REQUEST (malformed batches {})",
                group, member, tp, batches);
        return false;
    }

    /**
     * Applies {@code batches}, which must be {@link #wellFormed(List)}: all of them or none (the engine checks them
     * all before it applies any, as Kafka's share partition does).
     */
    static Outcome apply(ShareEngine engine, String group, String member, TopicPartition tp, List<Batch> batches) {
        Errors error = ShareErrors.of(engine.acknowledge(group, member, tp, ranges(batches)));
        if (error != Errors.NONE) {
            LOG.info("Share group {} member {}: acknowledgement of {} offsets {} refused, none applied: {}", group,
                    member, tp, batches.stream().map(b -> b.firstOffset() + "-" + b.lastOffset()).toList(),
                    error.name());
        }
        return new Outcome(error, error == Errors.NONE ? engine.persist(group, tp)
                : CompletableFuture.completedFuture(null));
    }

    /** The error to answer for acknowledgements whose durable write failed. */
    static Errors afterWrite(Errors error, Throwable writeFailure) {
        return writeFailure == null ? error : Errors.UNKNOWN_SERVER_ERROR;
    }

    /** The engine's ranges of {@code batches}: one per batch of one type, one per run of equal types otherwise. */
    private static List<Acknowledgement> ranges(List<Batch> batches) {
        List<Acknowledgement> ranges = new ArrayList<>(batches.size());
        for (Batch batch : batches) {
            long first = batch.firstOffset();
            List<Byte> types = batch.types();
            if (types.size() == 1) {
                ranges.add(new Acknowledgement(first, batch.lastOffset(), AckTypes.of(types.get(0))));
                continue;
            }
            int i = 0;
            while (i < types.size()) {
                int j = i;
                while (j + 1 < types.size() && types.get(j + 1).equals(types.get(i))) {
                    j++;
                }
                ranges.add(new Acknowledgement(first + i, first + j, AckTypes.of(types.get(i))));
                i = j + 1;
            }
        }
        return ranges;
    }
}
