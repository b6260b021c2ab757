package io.tributary.delivery.share;

import java.util.List;

/**
 * The durable part of a share partition's window: its start offset and, above it, runs of offsets that
 * are acknowledged, archived, or available with deliveries behind them. Acquired records are written as
 * available (a lock does not survive a restart), keeping their delivery count. Offsets above the last
 * run are available with no deliveries. Far-future records the window deferred (see {@link DeferredIndex}),
 * below the start or not, are listed apart, as ranges with the time they are due.
 *
 * @param startOffset the share-partition start offset
 * @param runs        ascending, non-overlapping
 * @param deferred    ascending, non-overlapping; a deferred offset inside the runs is written there as archived
 */
public record ShareSnapshot(long startOffset, List<Run> runs, List<Deferred> deferred) {
    public ShareSnapshot(long startOffset, List<Run> runs) {
        this(startOffset, runs, List.of());
    }

    /**
     * Consecutive offsets of equal state and delivery count; for {@link RecordState#ARCHIVING}, why the record
     * waits ({@code cause}, null when not known).
     */
    public record Run(long firstOffset, long lastOffset, RecordState state, int deliveryCount, DeadLetter.Cause cause) {
        public Run(long firstOffset, long lastOffset, RecordState state, int deliveryCount) {
            this(firstOffset, lastOffset, state, deliveryCount, null);
        }
    }

    /**
     * Consecutive deferred offsets of equal delivery count, due at {@code dueMs} (0: due, below the start). A
     * negative {@code dueMs} marks records below the start that wait for their dead letter or expiry copy:
     * {@code -1} cause not known, else {@code -2 - cause.ordinal()}.
     */
    public record Deferred(long firstOffset, long lastOffset, long dueMs, int deliveryCount) {
    }
}
