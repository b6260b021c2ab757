package io.tributary.delivery.group;

/**
 * States of a group. Classic groups use EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE
 * and DEAD; consumer (KIP-848) groups use EMPTY, ASSIGNING, RECONCILING, STABLE and DEAD.
 *
 * <pre>
 *  classic:   Empty ──join──&gt; PreparingRebalance ──all joined / timeout──&gt; CompletingRebalance
 *               ^                  ^       │ (no member left)                    │ leader sync
 *               └──────────────────┼───────┘                                     v
 *                                  └──── join / leave / session expiry ───── Stable
 *  any state ──delete / expiry──&gt; Dead
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    ASSIGNING("Assigning"),
    RECONCILING("Reconciling"),
    DEAD("Dead");

    private final String displayName;

    GroupState(String displayName) {
        this.displayName = displayName;
    }

    /** Name as Kafka reports it in ListGroups and DescribeGroups. */
    public String displayName() {
        return displayName;
    }
}
