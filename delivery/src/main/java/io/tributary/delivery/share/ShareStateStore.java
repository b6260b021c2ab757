package io.tributary.delivery.share;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Where share partitions' windows are kept across restarts. */
public interface ShareStateStore extends AutoCloseable {
    /** Keeps nothing: every share partition starts afresh after a restart. */
    ShareStateStore NONE = new ShareStateStore() {
        @Override
        public Map<ShareKey, ShareSnapshot> load() {
            return Map.of();
        }

        @Override
        public Map<String, Map<String, String>> groupConfigs() {
            return Map.of();
        }

        @Override
        public CompletableFuture<Void> persist(ShareKey key, Supplier<ShareSnapshot> snapshot) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> persistGroupConfigs(String groupId, Map<String, String> configs) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    };

    /** Every share partition's last snapshot; call once, before the first {@link #persist}. */
    Map<ShareKey, ShareSnapshot> load() throws IOException;

    /** The configs each share group set, as {@link #load} found them; call after it. */
    Map<String, Map<String, String>> groupConfigs();

    /** Writes the configs {@code groupId} set (all of them; empty when none); completes once durable. */
    CompletableFuture<Void> persistGroupConfigs(String groupId, Map<String, String> configs);

    /**
     * Writes {@code key}'s snapshot as {@code snapshot} gives it when the write happens (so writes of one key
     * that queue up are coalesced into one, of the newest state); completes once that write is durable as
     * the store's topic's flush policy says, or exceptionally if it failed. A null snapshot deletes the key.
     */
    CompletableFuture<Void> persist(ShareKey key, Supplier<ShareSnapshot> snapshot);

    @Override
    void close();
}
