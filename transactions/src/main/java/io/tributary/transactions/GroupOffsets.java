package io.tributary.transactions;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where a committed transaction's offsets go: the group coordinator's committed offsets. */
@FunctionalInterface
public interface GroupOffsets {
    /** Commits {@code offsets} for {@code groupId} durably; completes exceptionally if they could not be. */
    CompletableFuture<Void> commit(String groupId, List<PendingOffset> offsets);
}
