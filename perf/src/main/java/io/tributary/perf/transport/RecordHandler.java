package io.tributary.perf.transport;

/** Receives consumed records; called on the polling thread. */
@FunctionalInterface
public interface RecordHandler {

    /** One record arrived with {@code value} (null for a tombstone); the array is the caller's to read only. */
    void onRecord(byte[] value);
}
