package io.tributary.delivery.share;

/**
 * Decides, per member, whether an available record may be handed to it; a record a member's filter
 * refuses stays available to the others (JMS selectors). Called under the partition's lock: it must
 * be fast and must not call back into the engine.
 */
@FunctionalInterface
public interface RecordFilter {
    /** Hands every record to every member. */
    RecordFilter ALL = offset -> true;

    boolean accepts(long offset);
}
