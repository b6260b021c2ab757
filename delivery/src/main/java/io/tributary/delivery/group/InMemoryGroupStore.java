package io.tributary.delivery.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** {@link GroupStore} in memory, for tests and for brokers that run without durable groups. Thread-safe. */
public final class InMemoryGroupStore implements GroupStore {
    private final List<GroupRecord> records = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Void> write(List<GroupRecord> batch) {
        records.addAll(batch);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void replay(Consumer<GroupRecord> sink) {
        List.copyOf(records).forEach(sink);
    }

    /** Everything written so far, oldest first. */
    public synchronized List<GroupRecord> records() {
        return List.copyOf(records);
    }
}
