package io.tributary.delivery.share;

/**
 * Consecutive offsets acquired by one member in one call, all with the same delivery count.
 *
 * @param firstOffset   first acquired offset
 * @param lastOffset    last acquired offset, inclusive
 * @param deliveryCount how often these records have now been acquired (1 on first delivery)
 */
public record AcquiredRange(long firstOffset, long lastOffset, int deliveryCount) {
    public long count() {
        return lastOffset - firstOffset + 1;
    }
}
