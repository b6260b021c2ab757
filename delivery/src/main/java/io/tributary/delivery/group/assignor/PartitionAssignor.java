package io.tributary.delivery.group.assignor;

import io.tributary.delivery.TopicPartition;

import java.util.Map;
import java.util.Set;

/** Computes a group's target assignment on the coordinator. Implementations are stateless and thread-safe. */
public interface PartitionAssignor {
    /** Name clients ask for in {@code group.remote.assignor}. */
    String name();

    /**
     * Assigns every partition of every subscribed, existing topic to exactly one member subscribed to
     * that topic. The result has an entry (possibly empty) for every member of the spec.
     */
    Map<String, Set<TopicPartition>> assign(AssignmentSpec spec);

    /** The assignor called {@code name}, or null if there is none. */
    static PartitionAssignor forName(String name) {
        if (UniformAssignor.NAME.equals(name)) {
            return UniformAssignor.INSTANCE;
        }
        if (RangeAssignor.NAME.equals(name)) {
            return RangeAssignor.INSTANCE;
        }
        return null;
    }
}
