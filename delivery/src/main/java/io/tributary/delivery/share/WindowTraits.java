package io.tributary.delivery.share;

import java.util.Arrays;

/**
 * The per-slot traits of a {@link SharePartition}'s window (deliver-not-before, expiry, priority, key hash),
 * beside its ring and indexed by the same slot. Each array is allocated the first time a record needs it, so
 * a group whose records carry no traits pays nothing. Guarded by the partition's monitor.
 *
 * <p>{@link #loadedUpTo()} is the first offset whose traits were not loaded from the log yet: the window's end
 * while records enter it through acquisition, the start after a restore (traits are re-read from the records,
 * which keep them durably).
 */
final class WindowTraits {
    private final int capacity;
    private long[] notBefore;
    private long[] expireAt;
    private byte[] priority;
    private int[] keyHash;
    private boolean[] keyed;
    private long loadedUpTo;

    WindowTraits(int capacity, long loadedUpTo) {
        this.capacity = capacity;
        this.loadedUpTo = loadedUpTo;
    }

    long loadedUpTo() {
        return loadedUpTo;
    }

    /** Forgets everything; traits are loaded again from {@code offset}. */
    void reset(long offset) {
        notBefore = null;
        expireAt = null;
        priority = null;
        keyHash = null;
        keyed = null;
        loadedUpTo = offset;
    }

    /** Slot {@code s} gets a new offset: back to the defaults. */
    void clear(int s) {
        if (notBefore != null) {
            notBefore[s] = 0;
        }
        if (expireAt != null) {
            expireAt[s] = RecordTraits.NEVER;
        }
        if (priority != null) {
            priority[s] = RecordTraits.DEFAULT_PRIORITY;
        }
        if (keyed != null) {
            keyed[s] = false;
        }
    }

    /**
     * Takes the traits of the offsets in {@code [from, to]} not loaded yet from {@code traits}; {@code slots}
     * maps an offset to its slot.
     */
    void load(RecordTraits traits, long from, long to, SlotOf slots) {
        long first = Math.max(from, loadedUpTo);
        for (int i = 0; i < traits.size(); i++) {
            long offset = traits.offset(i);
            if (offset < first) {
                continue;
            }
            if (offset > to) {
                break;
            }
            int s = slots.slot(offset);
            if (traits.deliverAt(i) > 0) {
                notBefore()[s] = traits.deliverAt(i);
            }
            if (traits.expireAt(i) != RecordTraits.NEVER) {
                expireAt()[s] = traits.expireAt(i);
            }
            if (traits.priority(i) != RecordTraits.DEFAULT_PRIORITY) {
                priority()[s] = (byte) traits.priority(i);
            }
            if (traits.keyed(i)) {
                keyHash();
                keyed[s] = true;
                keyHash[s] = traits.keyHash(i);
            }
        }
        loadedUpTo = Math.max(loadedUpTo, to + 1);
    }

    /** Whether some slot has a deliver-at or retry backoff (else none is held back). */
    boolean hasNotBefore() {
        return notBefore != null;
    }

    long notBefore(int s) {
        return notBefore == null ? 0 : notBefore[s];
    }

    /** Slot {@code s} may not be acquired before {@code untilMs} (a retry backoff). */
    void holdUntil(int s, long untilMs) {
        notBefore()[s] = Math.max(notBefore[s], untilMs);
    }

    long expireAt(int s) {
        return expireAt == null ? RecordTraits.NEVER : expireAt[s];
    }

    int priority(int s) {
        return priority == null ? RecordTraits.DEFAULT_PRIORITY : priority[s];
    }

    boolean keyed(int s) {
        return keyed != null && keyed[s];
    }

    int keyHash(int s) {
        return keyHash[s];
    }

    private long[] notBefore() {
        if (notBefore == null) {
            notBefore = new long[capacity];
        }
        return notBefore;
    }

    private long[] expireAt() {
        if (expireAt == null) {
            expireAt = new long[capacity];
            Arrays.fill(expireAt, RecordTraits.NEVER);
        }
        return expireAt;
    }

    private byte[] priority() {
        if (priority == null) {
            priority = new byte[capacity];
            Arrays.fill(priority, (byte) RecordTraits.DEFAULT_PRIORITY);
        }
        return priority;
    }

    private int[] keyHash() {
        if (keyHash == null) {
            keyHash = new int[capacity];
            keyed = new boolean[capacity];
        }
        return keyHash;
    }

    /** Maps an offset of the window to its slot. */
    @FunctionalInterface
    interface SlotOf {
        int slot(long offset);
    }
}
