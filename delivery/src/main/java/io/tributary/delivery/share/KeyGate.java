package io.tributary.delivery.share;

import java.util.Arrays;

/**
 * Key affinity's bookkeeping for one acquisition pass over a window: per key hash, whether an earlier record
 * of that key blocks later ones ({@link #BLOCKED}: held by another member, or not acquirable now) or was found
 * acquirable in this pass ({@link #PENDING}: later records of the key may only follow it). An open-addressing
 * table reused from pass to pass (a new pass bumps a generation instead of clearing), so a pass allocates
 * nothing. Two keys with the same hash are treated as one: they are serialised, never run in parallel.
 */
final class KeyGate {
    static final byte OPEN = 0;
    static final byte PENDING = 1;
    static final byte BLOCKED = 2;

    private final int mask;
    private final int[] hashes;
    private final byte[] states;
    private final int[] generations;
    private int generation;

    /** A gate for passes over at most {@code keys} keyed records. */
    KeyGate(int keys) {
        int size = Integer.highestOneBit(Math.max(2, keys) * 2 - 1) << 1;
        mask = size - 1;
        hashes = new int[size];
        states = new byte[size];
        generations = new int[size];
    }

    void newPass() {
        generation++;
        if (generation == 0) {
            Arrays.fill(generations, 0);
            generation = 1;
        }
    }

    byte state(int hash) {
        int i = find(hash);
        return generations[i] == generation ? states[i] : OPEN;
    }

    /** Records {@code state} for {@code hash}; {@link #BLOCKED} is never lifted within a pass. */
    void set(int hash, byte state) {
        int i = find(hash);
        if (generations[i] != generation) {
            generations[i] = generation;
            hashes[i] = hash;
            states[i] = state;
        } else if (states[i] != BLOCKED) {
            states[i] = state;
        }
    }

    private int find(int hash) {
        int i = (hash * 0x9E3779B9) >>> 1 & mask;
        while (generations[i] == generation && hashes[i] != hash) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
