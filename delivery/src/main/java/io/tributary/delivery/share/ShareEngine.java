package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * <p>Durable state: after acknowledgements ({@link #persist}), releases and expiries the engine writes the
 * share partition's snapshot to its {@link ShareStateStore}, and at start it puts back what the store kept, so
 * acknowledged records are never delivered again and unacknowledged ones are, after a restart or a crash.
 */
public final class ShareEngine implements AutoCloseable {
    /** How often lock and session expiry run. */
    public static final long TICK_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ShareEngine.class);

    private final ShareConfig config;
    private final TopicMetadata topics;
    private final LogOffsets offsets;
    private final LongSupplier clock;
    private final ShareStateStore store;
    private final Map<String, ShareGroup> groups = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> groupConfigs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ShareAdmin admin = new ShareAdmin(this);
    private final DeadLetters deadLetters;
    /** Share partitions whose dead letters are being written, so a tick does not write them twice. */
    private final java.util.Set<SharePartition> deadLettersInFlight = ConcurrentHashMap.newKeySet();

    private ShareEngine(ShareConfig config, TopicMetadata topics, LogOffsets offsets, LongSupplier clock,
                        ShareStateStore store, ScheduledExecutorService timer, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.config = config;
        this.topics = topics;
        this.offsets = offsets;
        this.clock = clock;
        this.store = store;
        this.timer = timer;
    }

    /**
     * An engine with its own expiry timer thread, on the wall clock, whose share partitions are first put
     * back as {@code store} kept them. The engine owns the store from here and closes it.
     *
     * @throws IOException if the store cannot be read
     */
    public static ShareEngine start(ShareConfig config, TopicMetadata topics, LogOffsets offsets,
                                    ShareStateStore store) throws IOException {
        return start(config, topics, offsets, store, DeadLetters.NONE);
    }

    /** As {@link #start(ShareConfig, TopicMetadata, LogOffsets, ShareStateStore)}, writing dead letters to {@code deadLetters}. */
    public static ShareEngine start(ShareConfig config, TopicMetadata topics, LogOffsets offsets,
                                    ShareStateStore store, DeadLetters deadLetters) throws IOException {
        ShareEngine engine;
        try {
            engine = restored(config, topics, offsets, System::currentTimeMillis, store, deadLetters, Executors
                    .newSingleThreadScheduledExecutor(r -> {
                        Thread thread = new Thread(r, "tributary-share-expiry");
                        thread.setDaemon(true);
                        return thread;
                    }));
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        engine.timer.scheduleWithFixedDelay(engine::safeTick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return engine;
    }

    /** An engine without a timer or durable state, on {@code clock}: tests call {@link #tick()} themselves. */
    public static ShareEngine manual(ShareConfig config, TopicMetadata topics, LogOffsets offsets, LongSupplier clock) {
        return new ShareEngine(config, topics, offsets, clock, ShareStateStore.NONE, null, DeadLetters.NONE);
    }

    /** As {@link #manual(ShareConfig, TopicMetadata, LogOffsets, LongSupplier)}, writing dead letters to {@code deadLetters}. */
    public static ShareEngine manual(ShareConfig config, TopicMetadata topics, LogOffsets offsets, LongSupplier clock,
                                     DeadLetters deadLetters) {
        return new ShareEngine(config, topics, offsets, clock, ShareStateStore.NONE, null, deadLetters);
    }

    /** As {@link #manual(ShareConfig, TopicMetadata, LogOffsets, LongSupplier)}, restored from and writing to {@code store}. */
    public static ShareEngine manual(ShareConfig config, TopicMetadata topics, LogOffsets offsets, LongSupplier clock,
                                     ShareStateStore store) throws IOException {
        return restored(config, topics, offsets, clock, store, DeadLetters.NONE, null);
    }

    private static ShareEngine restored(ShareConfig config, TopicMetadata topics, LogOffsets offsets,
                                        LongSupplier clock, ShareStateStore store, DeadLetters deadLetters,
                                        ScheduledExecutorService timer)
            throws IOException {
        ShareEngine engine = new ShareEngine(config, topics, offsets, clock, store, timer, deadLetters);
        Map<ShareKey, ShareSnapshot> snapshots = store.load();
        engine.groupConfigs.putAll(store.groupConfigs());
        List<ShareKey> orphans = new ArrayList<>();
        snapshots.forEach((key, snapshot) -> {
            ShareGroup group = engine.createGroup(key.groupId());
            if (topics.partitionCount(key.partition().topic()) < 0) {
                orphans.add(key);
            } else {
                group.restore(key.partition(), snapshot);
            }
        });
        if (!snapshots.isEmpty()) {
            LOG.info("Share groups: {} share partitions of {} groups restored", snapshots.size() - orphans.size(),
                    engine.groups.size());
        }
        if (!orphans.isEmpty()) {
            // the topic was deleted, and the broker stopped before its share state's deletion was written (or the
            // state was left behind by a version that kept it): a namesake created later must start afresh
            LOG.info("Share groups: {} share partitions of topics that no longer exist forgotten: {}", orphans.size(),
                    orphans);
            orphans.forEach(key -> store.persist(key, () -> null));
        }
        return engine;
    }

    public ShareConfig config() {
        return config;
    }

    /** The acquisition lock duration of {@code groupId}: its own config, else the broker's. */
    public int recordLockDurationMs(String groupId) {
        // a request may carry a null group id (ShareFetch/ShareAcknowledge allow it on the wire): the broker's
        ShareGroup group = groupId == null ? null : groups.get(groupId);
        return group == null ? config.recordLockDurationMs() : group.config().recordLockDurationMs();
    }

    /**
     * The most times {@code groupId} delivers one record ({@code share.delivery.count.limit}): its own config, else
     * the broker's. No record is acquired with a higher delivery count.
     */
    public int deliveryCountLimit(String groupId) {
        ShareGroup group = groupId == null ? null : groups.get(groupId);
        return group == null ? config.deliveryCountLimit() : group.config().deliveryCountLimit();
    }

    /** Start offsets and group deletion. */
    public ShareAdmin admin() {
        return admin;
    }

    /** Whether a share group with this id exists (it has had members or state). */
    public boolean exists(String groupId) {
        return groups.containsKey(groupId);
    }

    ShareGroup group(String groupId) {
        return groups.get(groupId);
    }

    ShareGroup createGroup(String groupId) {
        return groups.computeIfAbsent(groupId, id -> {
            Map<String, String> own = groupConfigs.getOrDefault(id, Map.of());
            ShareGroup group = new ShareGroup(id, ShareGroupConfigs.apply(config, own));
            group.deadLettering(ShareGroupConfigs.deadLetterTopic(own) != null);
            group.extensions(ShareGroupConfigs.extensions(own));
            return group;
        });
    }

    /** The ids of the groups that have set configs of their own, whether or not the groups exist; any thread. */
    public List<String> configuredGroupIds() {
        return new ArrayList<>(groupConfigs.keySet());
    }

    /** The configs {@code groupId} set for itself (see {@link ShareGroupConfigs}); empty when none. */
    public Map<String, String> groupConfigs(String groupId) {
        return groupConfigs.getOrDefault(groupId, Map.of());
    }

    /**
     * Replaces the configs {@code groupId} set for itself with {@code configs} (valid names and values, as
     * {@link ShareGroupConfigs#invalid} checks); applies to the group at once, and to share partitions it
     * creates from then on. Completes once durable.
     */
    public CompletableFuture<Void> setGroupConfigs(String groupId, Map<String, String> configs) {
        Map<String, String> copy = Map.copyOf(configs);
        if (copy.isEmpty()) {
            groupConfigs.remove(groupId);
        } else {
            groupConfigs.put(groupId, copy);
        }
        ShareGroup group = groups.get(groupId);
        if (group != null) {
            group.config(ShareGroupConfigs.apply(config, copy));
            group.deadLettering(ShareGroupConfigs.deadLetterTopic(copy) != null);
            group.extensions(ShareGroupConfigs.extensions(copy));
        }
        return store.persistGroupConfigs(groupId, copy);
    }

    void removeGroup(String groupId, ShareGroup group) {
        groups.remove(groupId, group);
    }

    LogOffsets offsets() {
        return offsets;
    }

    /** Deletes the stored state of {@code partitions} in {@code groupId}; completes once that is durable. */
    CompletableFuture<Void> forget(String groupId, List<TopicPartition> partitions) {
        return CompletableFuture.allOf(partitions.stream()
                .map(tp -> store.persist(new ShareKey(groupId, tp), () -> null))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Forgets every group's share partitions of {@code topic}, which has been deleted: their in-flight records, start
     * offsets and stored state, as Kafka's group coordinator deletes the share-group state of a deleted topic. A topic
     * created again under the name is a new topic: each group starts it afresh, where {@code share.auto.offset.reset}
     * says. The groups, their members and configs stay; assignments drop the topic at the members' next heartbeat.
     * Completes once the deletions are durable.
     */
    public CompletableFuture<Void> topicDeleted(String topic) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (ShareGroup group : groups.values()) {
            List<TopicPartition> removed = group.removePartitions(tp -> tp.topic().equals(topic));
            if (!removed.isEmpty()) {
                LOG.info("Share group {}: share partitions {} forgotten with their deleted topic", group.id(), removed);
                writes.add(forget(group.id(), removed));
            }
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /** One heartbeat: join, leave, or stay; answers the member's assignment. */
    public ShareHeartbeat.Result heartbeat(ShareHeartbeat.Request request) {
        if (request.groupId() == null || request.groupId().isEmpty() || request.memberId() == null
                || request.memberId().isEmpty()) {
            return ShareHeartbeat.Result.failed(ShareError.INVALID_REQUEST, request.memberId());
        }
        ShareGroup group = request.memberEpoch() == ShareHeartbeat.JOIN_EPOCH
                ? createGroup(request.groupId())
                : groups.get(request.groupId());
        if (group == null) {
            return ShareHeartbeat.Result.failed(ShareError.UNKNOWN_MEMBER_ID, request.memberId());
        }
        ShareHeartbeat.Result result = group.heartbeat(request, clock.getAsLong(), topics);
        group.takeReleasedByLeave().forEach(tp -> persist(group.id(), tp));
        return result;
    }

    /** {@link ShareError#NONE} if {@code memberId} is a member of {@code groupId}, else UNKNOWN_MEMBER_ID. */
    public ShareError checkMember(String groupId, String memberId) {
        ShareGroup group = groups.get(groupId);
        return group != null && group.isMember(memberId) ? ShareError.NONE : ShareError.UNKNOWN_MEMBER_ID;
    }

    /**
     * Where to read {@code tp} from for {@code groupId}'s next acquisition, or -1 if nothing can be
     * acquired now (the window is full of locked records, the group is unknown, or the partition no longer
     * exists). Creates the share partition on first use at the log start or high watermark
     * ({@code share.auto.offset.reset}); moves it to the log start when retention deleted records it had not
     * delivered.
     */
    public long nextAcquirableOffset(String groupId, TopicPartition tp) {
        ShareGroup group = groups.get(groupId);
        SharePartition partition = group == null ? null : partitionOf(group, tp);
        if (partition == null) {
            return -1;
        }
        long logStart = offsets.logStartOffset(tp);
        if (partition.startOffset() < logStart) {
            LOG.info("Share group {} partition {}: log start {} passed the share-partition start {}; moving to it",
                    groupId, tp, logStart, partition.startOffset());
            partition.reset(logStart);
            persist(groupId, tp);
        }
        partition.dropBelow(logStart);
        return partition.nextAcquirableOffset(clock.getAsLong());
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
        SharePartition partition = partitionOf(group, tp);
        return partition == null ? List.of() : partition.acquire(memberId, first, last, maxRecords, filter,
                clock.getAsLong(), group.config().recordLockDurationMs());
    }

    /**
     * As {@link #acquire(String, String, TopicPartition, long, long, int, RecordFilter)}, with the deliver-at,
     * expiry, priority and key of the records read, as {@code traits} lists them (see
     * {@link SharePartition#acquire(String, long, long, int, RecordFilter, RecordTraits, long, long)}).
     */
    public List<AcquiredRange> acquire(String groupId, String memberId, TopicPartition tp, long first, long last,
                                       int maxRecords, RecordFilter filter, RecordTraits traits) {
        ShareGroup group = groups.get(groupId);
        if (group == null || !group.isMember(memberId)) {
            return List.of();
        }
        SharePartition partition = partitionOf(group, tp);
        return partition == null ? List.of() : partition.acquire(memberId, first, last, maxRecords, filter, traits,
                clock.getAsLong(), group.config().recordLockDurationMs());
    }

    /**
     * The share partition of {@code tp} in {@code group}, created if the partition exists; null if it does not. A
     * fetch that resolved its topic before the topic was deleted would otherwise create a share partition of the
     * deleted topic after {@link #topicDeleted} forgot it, and a namesake created later would start there instead
     * of where {@code share.auto.offset.reset} says. (A deletion between the check and the creation still can.)
     */
    private SharePartition partitionOf(ShareGroup group, TopicPartition tp) {
        SharePartition existing = group.existingPartition(tp);
        if (existing != null) {
            return existing;
        }
        if (tp.partition() >= topics.partitionCount(tp.topic())) {
            return null;
        }
        return group.partition(tp, p -> initialOffset(group, p));
    }

    /**
     * The first offset of {@code tp} whose record traits {@code groupId}'s window has not loaded yet: an adapter
     * decodes the headers (and keys) of the records it reads from there on, and passes them to
     * {@link #acquire(String, String, TopicPartition, long, long, int, RecordFilter, RecordTraits)}; records
     * below it are not decoded again. {@link Long#MAX_VALUE} for an unknown group or partition.
     */
    public long traitsFrom(String groupId, TopicPartition tp) {
        ShareGroup group = groups.get(groupId);
        SharePartition partition = group == null ? null : group.existingPartition(tp);
        return partition == null ? Long.MAX_VALUE : partition.traitsFrom();
    }

    /**
     * The first offset of {@code tp} that cannot enter {@code groupId}'s window now: an adapter reads the log for
     * acquisition no further (the window's start plus its {@code group.share.partition.max.record.locks} slots;
     * a hint: the window may move on meanwhile). {@link Long#MAX_VALUE} for an unknown group or partition.
     */
    public long windowLimit(String groupId, TopicPartition tp) {
        ShareGroup group = groups.get(groupId);
        SharePartition partition = group == null ? null : group.existingPartition(tp);
        return partition == null ? Long.MAX_VALUE : partition.windowLimit();
    }

    /** Whether {@code groupId} keeps records of one key in order and on one member at a time (its keys matter). */
    public boolean keyAffinity(String groupId) {
        ShareGroup group = groupId == null ? null : groups.get(groupId);
        return group != null && group.extensions().keyAffinity();
    }

    /**
     * Writes the current state of {@code tp}'s share partition in {@code groupId} to the store; completes
     * when it is durable. Call after acknowledging, before answering the member.
     */
    public CompletableFuture<Void> persist(String groupId, TopicPartition tp) {
        ShareGroup group = groups.get(groupId);
        SharePartition partition = group == null ? null : group.existingPartition(tp);
        if (partition == null) {
            return CompletableFuture.completedFuture(null);
        }
        return store.persist(new ShareKey(groupId, tp), partition::snapshot);
    }

    /** Applies {@code type} to {@code [first, last]} of {@code tp}; all or nothing. Not durable until {@link #persist}. */
    public ShareError acknowledge(String groupId, String memberId, TopicPartition tp, long first, long last,
                                  AcknowledgeType type) {
        return acknowledge(groupId, memberId, tp, List.of(new Acknowledgement(first, last, type)));
    }

    /**
     * Applies {@code acknowledgements} (in offset order) to {@code tp}: all of them or none, as Kafka applies one
     * request's acknowledgement batches of a partition (see {@link SharePartition#acknowledge(String, List, int,
     * long, long)}). RENEW in a group that disabled it refuses them all with INVALID_RECORD_STATE. Not durable until
     * {@link #persist}.
     */
    public ShareError acknowledge(String groupId, String memberId, TopicPartition tp,
                                  List<Acknowledgement> acknowledgements) {
        ShareGroup group = groups.get(groupId);
        if (group == null || !group.isMember(memberId)) {
            return ShareError.UNKNOWN_MEMBER_ID;
        }
        SharePartition partition = group.existingPartition(tp);
        if (partition == null) {
            return ShareError.INVALID_RECORD_STATE;
        }
        if (acknowledgements.stream().anyMatch(a -> a.type() == AcknowledgeType.RENEW)
                && !ShareGroupConfigs.renewEnabled(groupConfigs(groupId))) {
            // Kafka: "Renewing acquisition locks is not enabled for the group."
            return ShareError.INVALID_RECORD_STATE;
        }
        ShareConfig groupConfig = group.config();
        return partition.acknowledge(memberId, acknowledgements, groupConfig.deliveryCountLimit(), clock.getAsLong(),
                groupConfig.recordLockDurationMs());
    }

    /** Releases every record the member holds in the group (its session closed). */
    public void releaseMember(String groupId, String memberId) {
        ShareGroup group = groups.get(groupId);
        if (group != null) {
            group.releaseAll(memberId).forEach(tp -> persist(groupId, tp));
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
            group.expireMembers(now, topics).forEach(tp -> persist(group.id(), tp));
            group.expireLocks(now).forEach(tp -> persist(group.id(), tp));
            group.partitions().forEach((tp, partition) -> {
                if (partition.hasArchiving()) {
                    writeDeadLetters(group, tp, partition);
                }
            });
        }
    }

    /**
     * Writes the dead letters of {@code partition}'s ARCHIVING records to the group's dead-letter topic, then
     * archives them and persists the window: a record becomes ARCHIVED only once its dead letter is durable, so
     * a crash in between writes it again at the next start (at least once). A write that fails (the topic may
     * not be used, or the append failed) is logged and the records are archived regardless, as Kafka does.
     */
    private void writeDeadLetters(ShareGroup group, TopicPartition tp, SharePartition partition) {
        if (!deadLettersInFlight.add(partition)) {
            return;
        }
        List<DeadLetter> letters = partition.archiving(group.config().deliveryCountLimit());
        Map<String, String> own = groupConfigs(group.id());
        List<DeadLetter> expired = letters.stream().filter(l -> l.cause() == DeadLetter.Cause.EXPIRED).toList();
        List<DeadLetter> dead = expired.isEmpty() ? letters
                : letters.stream().filter(l -> l.cause() != DeadLetter.Cause.EXPIRED).toList();
        String topic = ShareGroupConfigs.deadLetterTopic(own);
        String expiryTopic = ShareGroupConfigs.expiryTopic(own);
        // expired records go to the expiry topic with their key and value, through the dead-letter writer
        CompletableFuture<Void> written = CompletableFuture.allOf(
                dead.isEmpty() || topic == null ? CompletableFuture.completedFuture(null)
                        : deadLetters.write(group.id(), tp, topic, ShareGroupConfigs.copyRecord(own), dead),
                expired.isEmpty() || expiryTopic == null ? CompletableFuture.completedFuture(null)
                        : deadLetters.write(group.id(), tp, expiryTopic, true, expired));
        written.whenComplete((v, failure) -> {
            try {
                if (failure != null) {
                    LOG.error("Share group {} partition {}: {} dead letters / expiry copies not written to {} / {}; "
                            + "archiving the records regardless", group.id(), tp, letters.size(), topic, expiryTopic,
                            failure);
                }
                partition.finishArchiving(letters);
                persist(group.id(), tp);
            } finally {
                deadLettersInFlight.remove(partition);
            }
        });
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("Share-group expiry failed; retrying in {} ms", TICK_MS, e);
        }
    }

    private long initialOffset(ShareGroup group, TopicPartition tp) {
        return group.config().autoOffsetReset() == ShareConfig.OffsetReset.EARLIEST
                ? offsets.logStartOffset(tp) : offsets.highWatermark(tp);
    }

    /** Stops the expiry timer, then the store after the writes already asked for. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        store.close();
    }
}
