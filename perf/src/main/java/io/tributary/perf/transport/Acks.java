package io.tributary.perf.transport;

/** When a send counts as acknowledged. */
public enum Acks {
    /** Fire and forget: complete as soon as the record is written to the socket. */
    NONE,
    /** The partition leader has appended it. */
    LEADER,
    /** Every in-sync replica has it (on one node: the same as LEADER, but with idempotence allowed). */
    ALL;

    /** Parses the Kafka spelling: {@code 0}, {@code 1}, {@code all} (or {@code -1}). */
    public static Acks parse(String s) {
        return switch (s) {
            case "0" -> NONE;
            case "1" -> LEADER;
            case "all", "-1" -> ALL;
            default -> throw new IllegalArgumentException("acks must be 0, 1 or all: " + s);
        };
    }
}
