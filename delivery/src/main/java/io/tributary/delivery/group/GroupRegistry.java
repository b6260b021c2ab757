package io.tributary.delivery.group;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The groups this coordinator owns, by id. Lookups and creation are safe from any thread; a group's
 * state is only touched under its monitor, through {@link #withGroup}.
 */
final class GroupRegistry {
    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();

    /** The live group with this id, or null. */
    Group get(String groupId) {
        return groups.get(groupId);
    }

    Collection<Group> all() {
        return groups.values();
    }

    /**
     * Runs {@code action} under the monitor of the live group {@code groupId} (null if there is none),
     * retrying if the group died between lookup and lock.
     */
    <T> T withGroup(String groupId, Function<Group, T> action) {
        while (true) {
            Group group = groups.get(groupId);
            if (group == null) {
                return action.apply(null);
            }
            synchronized (group) {
                if (!group.dead) {
                    return action.apply(group);
                }
            }
            groups.remove(groupId, group);
        }
    }

    /** Like {@link #withGroup} but creates the group with {@code factory} when absent. */
    <T> T withGroupOrCreate(String groupId, Function<String, Group> factory, Function<Group, T> action) {
        while (true) {
            Group group = groups.computeIfAbsent(groupId, factory);
            synchronized (group) {
                if (!group.dead) {
                    return action.apply(group);
                }
            }
            groups.remove(groupId, group);
        }
    }

    /** {@link #withGroupOrCreate} when {@code create} is set, else {@link #withGroup}. */
    <T> T withGroupOrCreateIf(String groupId, boolean create, Function<String, Group> factory,
                              Function<Group, T> action) {
        return create ? withGroupOrCreate(groupId, factory, action) : withGroup(groupId, action);
    }

    /**
     * Swaps an empty group for one of the other protocol, keeping its offsets. Called under the
     * monitor of {@code old}; the caller must lock {@code replacement} before touching it.
     */
    void replace(Group old, Group replacement) {
        replacement.offsets.putAll(old.offsets);
        replacement.emptySinceMs = old.emptySinceMs;
        old.dead = true;
        groups.replace(old.groupId, old, replacement);
    }

    /** Drops a group that was killed under its monitor. */
    void remove(Group group) {
        groups.remove(group.groupId, group);
    }

    /** Installs a group rebuilt from the store; only before serving. */
    void put(Group group) {
        groups.put(group.groupId, group);
    }
}
