package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The share-group delivery engine of this node: membership of share groups and the in-flight window
 * of every (group, partition). Built once by the broker's core services and shared by every listener
 * of every protocol. Thread-safe.
 *
 * <p>A fetch goes: {@link #nextAcquirableOffset} (where to read the log from), read the log up to some
 * offset, {@link #acquire} (what of that the member may have), hand the records and the acquired ranges
 * to the member; later {@link #acknowledge}. Locks that expire are released by a timer every
 * {@link #TICK_MS} ms, as are members whose session timed out.
 *
 * <p>State lives in memory only: a restart forgets it, and share partitions start again from
 * {@code share.auto.offset.reset}. Durable state is the next step (see docs/queues.md).
 */
public final class ShareEngine implements AutoCloseable {
    /** How often lock and session expiry run. */
    public static final long TICK_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ShareEngine.class);

    private final ShareConfig config;
    private final TopicMetadata topics;
    private final LogOffsets offsets;
    private final LongSupplier clock;
    private final Map<String, ShareGroup> groups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    private ShareEngine(ShareConfig config, TopicMetadata topics, LogOffsets offsets, LongSupplier clock,
                        ScheduledExecutorService timer) {
        this.config = config;
        this.topics = topics;
        this.offsets = offsets;
        this.clock = clock;
        this.timer = timer;
    }

    /** An engine with its own expiry timer thread, on the wall clock. */
    public static ShareEngine start(ShareConfig config, TopicMetadata topics, LogOffsets offsets) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tributary-share-expiry");
            thread.setDaemon(true);
            return thread;
        });
        ShareEngine engine = new ShareEngine(config, topics, offsets, System::currentTimeMillis, timer);
        timer.scheduleWithFixedDelay(engine::safeTick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return engine;
    }

    /** An engine without a timer, on {@code clock}: tests call {@link #tick()} themselves. */
    public static ShareEngine manual(ShareConfig config, TopicMetadata topics, LogOffsets offsets, LongSupplier clock) {
        return new ShareEngine(config, topics, offsets, clock, null);
    }

    public ShareConfig config() {
        return config;
    }

    /** One heartbeat: join, leave, or stay; answers the member's assignment. */
    public ShareHeartbeat.Result heartbeat(ShareHeartbeat.Request request) {
        if (request.groupId() == null || request.groupId().isEmpty() || request.memberId() == null
                || request.memberId().isEmpty()) {
            return ShareHeartbeat.Result.failed(ShareError.INVALID_REQUEST, request.memberId());
        }
        ShareGroup group = request.memberEpoch() == ShareHeartbeat.JOIN_EPOCH
                ? groups.computeIfAbsent(request.groupId(), id -> new ShareGroup(id, config))
                : groups.get(request.groupId());
        if (group == null) {
            return ShareHeartbeat.Result.failed(ShareError.UNKNOWN_MEMBER_ID, request.memberId());
        }
        return group.heartbeat(request, clock.getAsLong(), topics);
    }

    /** {@link ShareError#NONE} if {@code memberId} is a member of {@code groupId}, else UNKNOWN_MEMBER_ID. */
    public ShareError checkMember(String groupId, String memberId) {
        ShareGroup group = groups.get(groupId);
        return group != null && group.isMember(memberId) ? ShareError.NONE : ShareError.UNKNOWN_MEMBER_ID;
    }

    /**
     * Where to read {@code tp} from for {@code groupId}'s next acquisition, or -1 if nothing can be
     * acquired now (the window is full of locked records, or the group is unknown). Creates the share
     * partition on first use at the log start or high watermark ({@code share.auto.offset.reset}); moves it
     * to the log start when retention deleted records it had not delivered.
     */
    public long nextAcquirableOffset(String groupId, TopicPartition tp) {
        ShareGroup group = groups.get(groupId);
        if (group == null) {
            return -1;
        }
        SharePartition partition = group.partition(tp, this::initialOffset);
        long logStart = offsets.logStartOffset(tp);
        if (partition.startOffset() < logStart) {
            LOG.info("Share group {} partition {}: log start {} passed the share-partition start {}; moving to it",
                    groupId, tp, logStart, partition.startOffset());
            partition.reset(logStart);
        }
        return partition.nextAcquirableOffset();
    }

    /**
     * Acquires for the member at most {@code maxRecords} available records of {@code [first, last]} that
     * {@code filter} accepts, locked for {@code group.share.record.lock.duration.ms}.
     */
    public List<AcquiredRange> acquire(String groupId, String memberId, TopicPartition tp, long first, long last,
                                       int maxRecords, RecordFilter filter) {
        ShareGroup group = groups.get(groupId);
        if (group == null || !group.isMember(memberId)) {
            return List.of();
        }
        return group.partition(tp, this::initialOffset).acquire(memberId, first, last, maxRecords, filter,
                clock.getAsLong(), config.recordLockDurationMs());
    }

    /** Applies {@code type} to {@code [first, last]} of {@code tp}; all or nothing. */
    public ShareError acknowledge(String groupId, String memberId, TopicPartition tp, long first, long last,
                                  AcknowledgeType type) {
        ShareGroup group = groups.get(groupId);
        if (group == null || !group.isMember(memberId)) {
            return ShareError.UNKNOWN_MEMBER_ID;
        }
        SharePartition partition = group.existingPartition(tp);
        if (partition == null) {
            return ShareError.INVALID_RECORD_STATE;
        }
        return partition.acknowledge(memberId, first, last, type, config.deliveryCountLimit(), clock.getAsLong(),
                config.recordLockDurationMs());
    }

    /** Releases every record the member holds in the group (its session closed). */
    public void releaseMember(String groupId, String memberId) {
        ShareGroup group = groups.get(groupId);
        if (group != null) {
            group.releaseAll(memberId);
        }
    }

    /** The share partition of {@code tp} in {@code groupId}, if the group has read it; for describe and tests. */
    public SharePartition partition(String groupId, TopicPartition tp) {
        ShareGroup group = groups.get(groupId);
        return group == null ? null : group.existingPartition(tp);
    }

    /** The group, or null if unknown. */
    public ShareGroupDescription describe(String groupId) {
        ShareGroup group = groups.get(groupId);
        return group == null ? null : group.describe();
    }

    /** Every share group's id. */
    public List<String> groupIds() {
        return new ArrayList<>(groups.keySet());
    }

    /** Releases expired locks and removes members whose session timed out. */
    public void tick() {
        long now = clock.getAsLong();
        for (ShareGroup group : groups.values()) {
            group.expireMembers(now, topics);
            group.expireLocks(now);
        }
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("Share-group expiry failed; retrying in {} ms", TICK_MS, e);
        }
    }

    private long initialOffset(TopicPartition tp) {
        return config.autoOffsetReset() == ShareConfig.OffsetReset.EARLIEST
                ? offsets.logStartOffset(tp) : offsets.highWatermark(tp);
    }

    /** Stops the expiry timer. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
