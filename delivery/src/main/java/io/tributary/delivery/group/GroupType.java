package io.tributary.delivery.group;

/** Which membership protocol a group runs. */
public enum GroupType {
    /** Join/sync with a client-side leader computing assignments (Kafka's classic protocol). */
    CLASSIC("classic"),
    /** Heartbeat-driven, server-side assignment with member epochs (KIP-848). */
    CONSUMER("consumer");

    private final String displayName;

    GroupType(String displayName) {
        this.displayName = displayName;
    }

    /** Name as Kafka tools print it. */
    public String displayName() {
        return displayName;
    }
}
