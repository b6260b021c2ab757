package io.tributary.delivery.share;

import java.util.List;

/**
 * The durable part of a share partition's window: its start offset and, above it, runs of offsets that
 * are acknowledged, archived, or available with deliveries behind them. Acquired records are written as
 * available (a lock does not survive a restart), keeping their delivery count. Offsets above the last
 * run are available with no deliveries.
 *
 * @param startOffset the share-partition start offset
 * @param runs        ascending, non-overlapping
 */
public record ShareSnapshot(long startOffset, List<Run> runs) {
    /** Consecutive offsets of equal state and delivery count. */
    public record Run(long firstOffset, long lastOffset, RecordState state, int deliveryCount) {
    }
}
