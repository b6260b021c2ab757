package io.tributary.log.internal;

import io.tributary.log.LogOfflineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether one partition is offline, and why (see {@link io.tributary.log.PartitionLog}): set once,
 * by the first failed flush or cut-back, on whichever thread met it (the pipeline's journal or the
 * background flusher), and never cleared. The thread that sets it logs the incident's one ERROR
 * line; everything after only reads it. The reason is built once, so an offline partition answers
 * {@link #reason()} without building text.
 */
final class OfflineState {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineState.class);

    private final String partition;
    /** Null while the partition is online. */
    private final AtomicReference<Offline> offline = new AtomicReference<>();

    OfflineState(String partition) {
        this.partition = partition;
    }

    boolean isOffline() {
        return offline.get() != null;
    }

    /** Why the partition is offline; empty while online (then without allocating). */
    Optional<String> reason() {
        Offline state = offline.get();
        return state == null ? Optional.empty() : state.reason;
    }

    /** @throws LogOfflineException if the partition is offline */
    void check() throws LogOfflineException {
        Offline state = offline.get();
        if (state != null) {
            throw new LogOfflineException(state.reason.get(), state.cause);
        }
    }

    /**
     * Takes the partition offline because {@code operation} (a noun, such as "fsync") failed with
     * {@code cause}, the bytes from {@code firstUncertainOffset} up being in doubt, and returns the
     * exception for the caller to throw. The first call logs one ERROR line; a failure met while
     * already offline (another thread's, in the same moment) keeps the first reason and is logged
     * at WARN.
     */
    LogOfflineException goOffline(String operation, long firstUncertainOffset, IOException cause) {
        String reason = "partition " + partition + " is offline since the " + operation + " at offset "
                + firstUncertainOffset + " failed (" + cause + "); restart the broker to recover it (the restart"
                + " re-validates its tail from disk)";
        Offline mine = new Offline(Optional.of(reason), cause);
        if (offline.compareAndSet(null, mine)) {
            LOG.error("Partition {} is offline: the {} at offset {} failed, so its bytes from there on cannot be"
                    + " trusted. Appends to it fail and nothing of it is fsynced again until the broker restarts,"
                    + " which re-validates its tail from disk", partition, operation, firstUncertainOffset, cause);
            return new LogOfflineException(reason, cause);
        }
        Offline first = offline.get();
        LOG.warn("Partition {} was already offline when the {} at offset {} failed too", partition, operation,
                firstUncertainOffset, cause);
        LogOfflineException exception = new LogOfflineException(first.reason.get(), first.cause);
        exception.addSuppressed(cause);
        return exception;
    }

    private record Offline(Optional<String> reason, IOException cause) {
    }
}
