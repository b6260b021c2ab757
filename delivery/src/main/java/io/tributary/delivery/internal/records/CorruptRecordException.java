package io.tributary.delivery.internal.records;

/** A batch or record that cannot be parsed: bad magic, CRC, compression or truncated fields. */
public final class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }
}
