package io.tributary.delivery.group;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Durable storage of {@link GroupRecord}s. The production implementation appends to the internal
 * {@code __consumer_offsets} topic of the log; tests may use {@link #inMemory()}.
 */
public interface GroupStore {

    /**
     * Writes {@code records} as one unit. The future completes once they are durable per the
     * topic's flush policy, or exceptionally (e.g. {@link StoreUnavailableException} when the ingest
     * ring is full) — then none of them was applied.
     */
    CompletableFuture<Void> write(List<GroupRecord> records);

    /** Hands every stored record, oldest first, to {@code sink}. Called once before the coordinator serves. */
    void replay(Consumer<GroupRecord> sink) throws IOException;

    /** A store that keeps records in memory, completing writes at once. */
    static InMemoryGroupStore inMemory() {
        return new InMemoryGroupStore();
    }
}
