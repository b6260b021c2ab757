package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Kafka's offsets.retention.minutes (KIP-211): an offset of a group without members expires once
 * both the group has been empty and the offset unchanged for the retention period, and is removed
 * with a tombstone ({@link GroupRecord.OffsetRemoved}); a group left with no members and no offsets
 * is then deleted at once with a {@link GroupRecord.GroupRemoved} tombstone, as Kafka's periodic
 * cleanup does. Runs every offsets.retention.check.interval.ms on the timer. Offsets of a group
 * with members never expire here (Kafka also expires, in a stable consumer group, offsets of topics
 * the group no longer subscribes to; Tributary does not).
 */
final class GroupExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(GroupExpiry.class);

    private final GroupContext ctx;
    private volatile boolean stopped;

    GroupExpiry(GroupContext ctx) {
        this.ctx = ctx;
    }

    /** Starts the periodic check; the returned handle stops it. */
    GroupScheduler.Cancellable start() {
        scheduleNext();
        return () -> stopped = true;
    }

    private void scheduleNext() {
        ctx.scheduler.schedule(ctx.config.offsetsRetentionCheckIntervalMs(), () -> {
            if (!stopped) {
                runOnce();
                scheduleNext();
            }
        });
    }

    void runOnce() {
        long now = ctx.now();
        long retention = ctx.config.offsetsRetentionMs();
        for (Group group : List.copyOf(ctx.registry.all())) {
            List<GroupRecord> records = new ArrayList<>();
            synchronized (group) {
                if (group.dead || group.hasMembers()) {
                    continue;
                }
                for (Iterator<Map.Entry<TopicPartition, OffsetAndMetadata>> it = group.offsets.entrySet().iterator();
                     it.hasNext(); ) {
                    Map.Entry<TopicPartition, OffsetAndMetadata> entry = it.next();
                    long base = Math.max(group.emptySinceMs, entry.getValue().commitTimestampMs());
                    if (base + retention <= now) {
                        records.add(new GroupRecord.OffsetRemoved(group.groupId, entry.getKey()));
                        it.remove();
                    }
                }
                if (group.offsets.isEmpty()) {
                    group.kill();
                    ctx.registry.remove(group);
                    records.add(new GroupRecord.GroupRemoved(group.groupId));
                }
            }
            if (!records.isEmpty()) {
                LOG.info("group {}: {} expired after retention of {} ms", group.groupId, records.size(), retention);
                ctx.store.write(records).whenComplete((ignored, error) -> {
                    if (error != null) {
                        LOG.warn("could not persist expiry of group {}: {}", group.groupId, error.toString());
                    }
                });
            }
        }
    }
}
