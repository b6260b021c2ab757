package io.tributary.delivery.share;

/**
 * One record of a share partition to be written to its group's dead-letter topic (KIP-1191).
 *
 * @param offset        the record's offset in its partition
 * @param deliveryCount how often it was acquired
 * @param cause         why it is dead-lettered
 */
public record DeadLetter(long offset, int deliveryCount, Cause cause) {
    /** Why a record is dead-lettered; {@link #message()} is Kafka's {@code __dlq.errors.message}. */
    public enum Cause {
        /** A member acknowledged it with REJECT. */
        CLIENT_REJECT("Offset rejected by client."),
        /** Released or its lock expired after {@code share.delivery.count.limit} deliveries. */
        DELIVERY_COUNT_EXCEEDED("Offset delivery count exceeded the threshold."),
        /**
         * Tributary extension: its {@code tributary.expire.at} passed; written to the group's expiry topic
         * ({@code tributary.share.expiry.topic.name}), not its dead-letter topic.
         */
        EXPIRED("Record expired.");

        private final String message;

        Cause(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }
}
