package io.tributary.log.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's key map: for each key of the dirty part of a partition, the offset of its latest
 * record. Keys are stored as their 128-bit MD5 hash (as Kafka's cleaner does), so an entry costs
 * {@value #BYTES_PER_ENTRY} bytes whatever the key's size; two keys sharing a hash would be taken
 * for one, which at 128 bits does not happen in practice.
 *
 * <pre>
 *  slot i:  hashHigh[i] (8 bytes) | hashLow[i] (8 bytes) | offset[i] (8 bytes, -1 = empty)
 * </pre>
 *
 * Open addressing with linear probing, filled to at most 90 % (Kafka's
 * {@code log.cleaner.io.buffer.load.factor}). The table starts small and doubles up to its byte
 * bound, so memory follows the number of distinct keys and never exceeds the bound.
 *
 * <p>One cleaner thread owns an instance; not thread-safe.
 */
final class OffsetMap {
    static final int BYTES_PER_ENTRY = 24;
    private static final double LOAD_FACTOR = 0.9;
    private static final int INITIAL_SLOTS = 1 << 12;

    private final int maxSlots;
    private final MessageDigest md5;
    private final byte[] digest = new byte[16];
    private long[] hashHigh;
    private long[] hashLow;
    private long[] offsets;
    private int entries;
    private long lastHashHigh;
    private long lastHashLow;

    /** A map that never takes more than {@code maxBytes} of memory. */
    OffsetMap(long maxBytes) {
        long slots = Long.highestOneBit(Math.max(INITIAL_SLOTS, maxBytes / BYTES_PER_ENTRY));
        this.maxSlots = (int) Math.min(slots, 1 << 30);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
        allocate(Math.min(INITIAL_SLOTS, maxSlots));
    }

    private void allocate(int slots) {
        hashHigh = new long[slots];
        hashLow = new long[slots];
        offsets = new long[slots];
        Arrays.fill(offsets, -1L);
        entries = 0;
    }

    /** Most distinct keys the map can hold at its largest. */
    int capacity() {
        return (int) (maxSlots * LOAD_FACTOR);
    }

    int size() {
        return entries;
    }

    /** Whether one more new key would not fit. */
    boolean isFull() {
        return entries >= capacity();
    }

    /** Forgets every key; keeps the memory it has grown to. */
    void clear() {
        Arrays.fill(offsets, -1L);
        entries = 0;
    }

    /**
     * Records {@code offset} as the latest for the key of {@code length} bytes at {@code position}
     * of {@code buffer}. The caller checks {@link #isFull()} first.
     */
    void put(ByteBuffer buffer, int position, int length, long offset) {
        hash(buffer, position, length);
        if (entries + 1 > offsets.length * LOAD_FACTOR && offsets.length < maxSlots) {
            grow();
        }
        int slot = find(lastHashHigh, lastHashLow);
        if (offsets[slot] < 0) {
            if (isFull()) {
                throw new IllegalStateException("Offset map is full (" + entries + " keys)");
            }
            hashHigh[slot] = lastHashHigh;
            hashLow[slot] = lastHashLow;
            entries++;
        }
        offsets[slot] = offset;
    }

    /** The latest offset recorded for the key, or -1 if it is not in the map. */
    long get(ByteBuffer buffer, int position, int length) {
        hash(buffer, position, length);
        return offsets[find(lastHashHigh, lastHashLow)];
    }

    private int find(long high, long low) {
        int mask = offsets.length - 1;
        int slot = (int) (low ^ (low >>> 32)) & mask;
        while (offsets[slot] >= 0 && (hashHigh[slot] != high || hashLow[slot] != low)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldHigh = hashHigh;
        long[] oldLow = hashLow;
        long[] oldOffsets = offsets;
        allocate(Math.min(maxSlots, oldOffsets.length * 2));
        for (int i = 0; i < oldOffsets.length; i++) {
            if (oldOffsets[i] >= 0) {
                int slot = find(oldHigh[i], oldLow[i]);
                hashHigh[slot] = oldHigh[i];
                hashLow[slot] = oldLow[i];
                offsets[slot] = oldOffsets[i];
                entries++;
            }
        }
    }

    private void hash(ByteBuffer buffer, int position, int length) {
        if (buffer.hasArray()) {
            md5.update(buffer.array(), buffer.arrayOffset() + position, length);
        } else {
            ByteBuffer key = buffer.duplicate();
            key.limit(position + length).position(position);
            md5.update(key);
        }
        try {
            md5.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        lastHashHigh = toLong(0);
        lastHashLow = toLong(8);
    }

    private long toLong(int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = (value << 8) | (digest[i] & 0xFF);
        }
        return value;
    }
}
