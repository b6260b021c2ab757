package io.tributary.delivery.share;

/**
 * Decides, per member, whether an available record may be handed to it; a record a member's filter
 * refuses stays available to the others (JMS selectors on queues), or is archived ({@link #archivesRefused}). Called under the partition's lock: it must
 * be fast and must not call back into the engine.
 */
@FunctionalInterface
public interface RecordFilter {
    /** Hands every record to every member. */
    RecordFilter ALL = offset -> true;

    boolean accepts(long offset);

    /**
     * Whether the record at {@code offset} may be acquired with delivery count {@code deliveryCount} (the count it
     * will have once acquired: 1 the first time); a filter that does not look at the count (the default) answers
     * {@link #accepts(long)}. A JMS selector may name the count ({@code JMSXDeliveryCount}).
     */
    default boolean accepts(long offset, int deliveryCount) {
        return accepts(offset);
    }

    /**
     * Whether an available record this filter refuses is archived when the member reads it, instead of staying
     * available to the others: the filter defines what belongs to the group at all (a shared subscription's
     * selector, which every member of the subscription has), so a refused record would otherwise wait in the
     * window for a member that never comes.
     */
    default boolean archivesRefused() {
        return false;
    }
}
