package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.share.AcknowledgeType;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareError;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Applies the acknowledgement batches of one partition (from ShareFetch or ShareAcknowledge). A batch
 * carries either one type for its whole range or one type per offset; consecutive offsets of equal type
 * go to the engine as one range. The first failure is the partition's error; the batches before it stay
 * applied, as in Kafka. The answer waits until the share partition's new state is durable.
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

    static Outcome apply(ShareEngine engine, String group, String member, TopicPartition tp, List<Batch> batches) {
        Errors error = Errors.NONE;
        for (Batch batch : batches) {
            error = apply(engine, group, member, tp, batch);
            if (error != Errors.NONE) {
                LOG.info("Share group {} member {}: acknowledgement of {} offsets {}-{} failed: {}", group, member,
                        tp, batch.firstOffset(), batch.lastOffset(), error.name());
                break;
            }
        }
        return new Outcome(error, engine.persist(group, tp));
    }

    /** The error to answer for acknowledgements whose durable write failed. */
    static Errors afterWrite(Errors error, Throwable writeFailure) {
        return writeFailure == null ? error : Errors.UNKNOWN_SERVER_ERROR;
    }

    private static Errors apply(ShareEngine engine, String group, String member, TopicPartition tp, Batch batch) {
        long first = batch.firstOffset();
        long last = batch.lastOffset();
        List<Byte> types = batch.types();
        if (first < 0 || last < first || types.isEmpty()
                || types.size() != 1 && types.size() != last - first + 1) {
            return Errors.INVALID_REQUEST;
        }
        if (types.size() == 1) {
            AcknowledgeType type = AckTypes.of(types.get(0));
            return type == null ? Errors.INVALID_REQUEST
                    : ShareErrors.of(engine.acknowledge(group, member, tp, first, last, type));
        }
        for (Byte b : types) {
            if (AckTypes.of(b) == null) {
                return Errors.INVALID_REQUEST;
            }
        }
        int i = 0;
        while (i < types.size()) {
            int j = i;
            while (j + 1 < types.size() && types.get(j + 1).equals(types.get(i))) {
                j++;
            }
            ShareError error = engine.acknowledge(group, member, tp, first + i, first + j, AckTypes.of(types.get(i)));
            if (error != ShareError.NONE) {
                return ShareErrors.of(error);
            }
            i = j + 1;
        }
        return Errors.NONE;
    }
}
