package io.tributary.pipeline;

/**
 * What happened to an offered append.
 *
 * @param error          {@link AppendError#NONE} on success (including a duplicate of an already
 *                       written idempotent batch, which reports the original offsets)
 * @param baseOffset     offset of the first record, -1 on error
 * @param logAppendTime  the broker time stamped on the batch for LogAppendTime topics, else -1
 * @param logStartOffset the partition's log start offset at the time of the append
 * @param message        detail for the client and the log on error, else null
 */
public record AppendResult(AppendError error, long baseOffset, long logAppendTime, long logStartOffset,
                           String message) {

    public static AppendResult success(long baseOffset, long logAppendTime, long logStartOffset) {
        return new AppendResult(AppendError.NONE, baseOffset, logAppendTime, logStartOffset, null);
    }

    public static AppendResult failure(AppendError error, String message) {
        return new AppendResult(error, -1L, -1L, -1L, message);
    }
}
