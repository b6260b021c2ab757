package io.tributary.pipeline.internal;

import com.lmax.disruptor.EventHandler;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.CommitListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Last stage: publishes each written event's end as its partition's high watermark, completes the
 * callback, and at the end of a ring batch tells every {@link CommitListener} once per partition
 * whose high watermark moved. Events reach this stage only after the journal's fsync of their batch.
 *
 * <p>A callback or listener that throws is logged and does not stop the stage.
 */
final class CommitHandler implements EventHandler<IngestEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(CommitHandler.class);

    private final List<CommitListener> listeners;
    private final Set<PartitionLog> advanced = Collections.newSetFromMap(new IdentityHashMap<>());

    CommitHandler(List<CommitListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
        PartitionLog partition = event.partition;
        if (event.needsWrite()) {
            if (event.markerType != null) {
                event.transactions.complete(event.txnProducerId, event.txnFirstOffset, event.lastOffset,
                        event.markerType);
            }
            try {
                partition.highWatermark(event.lastOffset + 1);
                advanced.add(partition);
            } catch (RuntimeException e) {
                LOG.error("Cannot publish high watermark {} of {}-{}: {}", event.lastOffset + 1, partition.topic(),
                        partition.partition(), e.toString());
                event.fail(AppendError.STORAGE_ERROR, "cannot publish the high watermark: " + e);
            }
        }
        try {
            event.callback.onComplete(event.result(partition.logStartOffset()));
        } catch (RuntimeException e) {
            LOG.warn("Append callback for {}-{} threw", partition.topic(), partition.partition(), e);
        } finally {
            event.clear();
        }
        if (endOfBatch) {
            notifyListeners();
        }
    }

    private void notifyListeners() {
        if (advanced.isEmpty()) {
            return;
        }
        for (PartitionLog partition : advanced) {
            long highWatermark = partition.highWatermark();
            for (CommitListener listener : listeners) {
                try {
                    listener.onCommit(partition, highWatermark);
                } catch (RuntimeException e) {
                    LOG.warn("Commit listener threw for {}-{}", partition.topic(), partition.partition(), e);
                }
            }
        }
        advanced.clear();
    }
}
