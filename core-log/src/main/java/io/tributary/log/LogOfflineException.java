package io.tributary.log;

import java.io.IOException;

/**
 * Thrown by {@link PartitionLog#append} and {@link PartitionLog#flush} once the partition is
 * offline: a flush of it failed, or a failed append could not be cut back. Nothing is written or
 * forced after that, because nothing says the bytes past the partition's last successful flush are
 * on the device (after a failed fsync Linux may drop the dirty pages and mark them clean, so a
 * later fsync that succeeds proves nothing). The partition stays offline until the log is opened
 * again, which validates its tail from disk: restart the broker to recover it.
 *
 * <p>The message names the partition, the failed operation with its first uncertain offset, the
 * original failure, and says to restart the broker; it is the same text as
 * {@link PartitionLog#offlineReason()}. The cause is the original failure.
 */
public final class LogOfflineException extends IOException {
    private static final long serialVersionUID = 1L;

    public LogOfflineException(String message, Throwable cause) {
        super(message, cause);
    }
}
