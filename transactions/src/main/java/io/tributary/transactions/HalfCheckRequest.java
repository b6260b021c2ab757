package io.tributary.transactions;

/**
 * A check-back: the broker asks a member of {@code producerGroup} whether the local transaction behind
 * {@code transactionId} committed.
 *
 * @param check 1 for the first check, up to {@code transaction.check.max}
 */
public record HalfCheckRequest(String producerGroup, String transactionId, String topic, int partition,
                               HalfMessage message, int check) {
}
