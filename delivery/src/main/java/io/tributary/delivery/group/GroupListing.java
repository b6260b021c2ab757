package io.tributary.delivery.group;

/** One line of ListGroups. {@code protocolType} is "consumer" for KIP-848 groups. */
public record GroupListing(String groupId, String protocolType, GroupState state, GroupType type) {
}
