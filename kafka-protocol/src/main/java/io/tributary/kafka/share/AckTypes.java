package io.tributary.kafka.share;

import io.tributary.delivery.share.AcknowledgeType;

/** Kafka's acknowledge-type bytes (ShareFetch and ShareAcknowledge {@code AcknowledgeTypes}). */
final class AckTypes {
    private AckTypes() {
    }

    /** The engine's type of wire byte {@code value}, or null if Kafka defines none. */
    static AcknowledgeType of(byte value) {
        return switch (value) {
            case 0 -> AcknowledgeType.GAP;
            case 1 -> AcknowledgeType.ACCEPT;
            case 2 -> AcknowledgeType.RELEASE;
            case 3 -> AcknowledgeType.REJECT;
            case 4 -> AcknowledgeType.RENEW;
            default -> null;
        };
    }
}
