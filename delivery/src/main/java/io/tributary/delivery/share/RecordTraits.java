package io.tributary.delivery.share;

import java.util.Arrays;

/**
 * What a protocol adapter read from the records it is about to offer to {@link SharePartition#acquire}: per
 * offset the earliest time it may be delivered, when it expires, its priority and (for key affinity) a hash
 * of its key. Only records with something other than the defaults are listed, in offset order; every other
 * offset of the range read has the defaults (deliverable now, never expires, priority
 * {@link #DEFAULT_PRIORITY}, no key).
 *
 * <p>Filled once by one thread, then read under the share partition's lock; not thread-safe.
 */
public final class RecordTraits {
    /** No record has anything but the defaults. */
    public static final RecordTraits NONE = new RecordTraits(0);
    /** JMS's default priority; also what a record without a priority header gets. */
    public static final int DEFAULT_PRIORITY = 4;
    /** Highest priority (JMS's 9). */
    public static final int MAX_PRIORITY = 9;
    /** The expiry of a record that never expires. */
    public static final long NEVER = Long.MAX_VALUE;

    private long[] offsets;
    private long[] deliverAt;
    private long[] expireAt;
    private byte[] priority;
    private int[] keyHash;
    private boolean[] keyed;
    private int size;

    private RecordTraits(int capacity) {
        offsets = new long[capacity];
        deliverAt = new long[capacity];
        expireAt = new long[capacity];
        priority = new byte[capacity];
        keyHash = new int[capacity];
        keyed = new boolean[capacity];
    }

    /** An empty list to {@link #add} to. */
    public static RecordTraits create() {
        return new RecordTraits(16);
    }

    /**
     * Lists {@code offset} (higher than every offset added so far).
     *
     * @param deliverAt epoch ms before which it may not be acquired (0: at once)
     * @param expireAt  epoch ms from which it is archived instead of acquired ({@link #NEVER}: never)
     * @param priority  0 to 9, higher first
     * @param keyed     whether it has a key; {@code keyHash} is ignored if not
     */
    public void add(long offset, long deliverAt, long expireAt, int priority, boolean keyed, int keyHash) {
        if (this == NONE) {
            throw new IllegalStateException("RecordTraits.NONE is immutable");
        }
        if (size > 0 && offset <= offsets[size - 1]) {
            throw new IllegalArgumentException("offsets must be added in increasing order: " + offset);
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority out of 0-9: " + priority);
        }
        if (size == offsets.length) {
            int grown = Math.max(16, size * 2);
            offsets = Arrays.copyOf(offsets, grown);
            this.deliverAt = Arrays.copyOf(this.deliverAt, grown);
            this.expireAt = Arrays.copyOf(this.expireAt, grown);
            this.priority = Arrays.copyOf(this.priority, grown);
            this.keyHash = Arrays.copyOf(this.keyHash, grown);
            this.keyed = Arrays.copyOf(this.keyed, grown);
        }
        offsets[size] = offset;
        this.deliverAt[size] = deliverAt;
        this.expireAt[size] = expireAt;
        this.priority[size] = (byte) priority;
        this.keyHash[size] = keyHash;
        this.keyed[size] = keyed;
        size++;
    }

    /** How many offsets are listed. */
    public int size() {
        return size;
    }

    /** The i-th listed offset. */
    public long offset(int i) {
        return offsets[i];
    }

    public long deliverAt(int i) {
        return deliverAt[i];
    }

    public long expireAt(int i) {
        return expireAt[i];
    }

    public int priority(int i) {
        return priority[i];
    }

    public boolean keyed(int i) {
        return keyed[i];
    }

    public int keyHash(int i) {
        return keyHash[i];
    }
}
