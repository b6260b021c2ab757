package io.tributary.log;

/** A read at an offset the partition does not hold. */
public final class OffsetOutOfRangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(long offset, long logStartOffset, long logEndOffset) {
        super("Offset " + offset + " is out of range [" + logStartOffset + ", " + logEndOffset + "]");
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
