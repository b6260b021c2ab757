package io.tributary.delivery.share;

/**
 * One range of a member's acknowledgement of a share partition: {@code type} for every offset of
 * {@code [firstOffset, lastOffset]}. Several of them for one partition are applied together, all or none
 * ({@link ShareEngine#acknowledge(String, String, io.tributary.delivery.TopicPartition, java.util.List)}).
 *
 * @param firstOffset first offset
 * @param lastOffset  last offset, inclusive
 * @param type        what the member says about them
 */
public record Acknowledgement(long firstOffset, long lastOffset, AcknowledgeType type) {
}
