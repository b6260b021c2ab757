package io.tributary.pipeline;

import io.tributary.log.PartitionLog;

/** Told when a partition's high watermark advances, e.g. to complete parked fetches. */
@FunctionalInterface
public interface CommitListener {
    /** Called on the commit thread at the end of each ring batch, once per partition touched. */
    void onCommit(PartitionLog partition, long highWatermark);
}
