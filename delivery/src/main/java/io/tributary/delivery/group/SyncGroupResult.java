package io.tributary.delivery.group;

/** A member's assignment for the generation, or an error. */
public record SyncGroupResult(GroupError error, String protocolType, String protocolName, byte[] assignment) {
    private static final byte[] NONE = new byte[0];

    static SyncGroupResult failure(GroupError error) {
        return new SyncGroupResult(error, null, null, NONE);
    }
}
