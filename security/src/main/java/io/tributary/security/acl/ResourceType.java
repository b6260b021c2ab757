package io.tributary.security.acl;

/** What an ACL protects, with Kafka's wire codes. */
public enum ResourceType {
    ANY(1), TOPIC(2), GROUP(3), CLUSTER(4), TRANSACTIONAL_ID(5), DELEGATION_TOKEN(6), USER(7);

    /** The one cluster resource's name, as Kafka names it. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private final byte code;

    ResourceType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type of this code, or {@code null} (Kafka's UNKNOWN). */
    public static ResourceType of(byte code) {
        for (ResourceType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
