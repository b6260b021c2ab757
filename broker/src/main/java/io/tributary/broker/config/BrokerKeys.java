package io.tributary.broker.config;

import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.group.store.GroupStoreConfig;
import io.tributary.delivery.share.ShareConfig;
import io.tributary.log.CleanerConfig;
import io.tributary.spi.CoreConfig;
import io.tributary.transactions.HalfTransactionConfig;
import io.tributary.transactions.TransactionConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.tributary.broker.config.ConfigType.BOOLEAN;
import static io.tributary.broker.config.ConfigType.DOUBLE;
import static io.tributary.broker.config.ConfigType.INT;
import static io.tributary.broker.config.ConfigType.LIST;
import static io.tributary.broker.config.ConfigType.LONG;
import static io.tributary.broker.config.ConfigType.STRING;

/**
 * Every key the broker understands, in the order of {@code config/tributary.properties}. Names are
 * Kafka's broker names; Tributary's own keys are {@code log.flush.policy} and {@code ingest.ring.size}.
 * Keys ending in {@code .ms} / {@code .minutes} / {@code .hours} follow Kafka's precedence: the
 * finest unit that is set wins.
 */
public final class BrokerKeys {
    /** The services' own defaults, so that each default is written down once (in the service's config). */
    private static final GroupConfig GROUP = GroupConfig.defaults();
    private static final GroupStoreConfig GROUP_STORE = GroupStoreConfig.defaults();
    private static final CleanerConfig CLEANER = CleanerConfig.DEFAULTS;
    private static final ShareConfig SHARE = ShareConfig.defaults();
    private static final TransactionConfig TRANSACTIONS = TransactionConfig.defaults();
    private static final HalfTransactionConfig HALF = HalfTransactionConfig.defaults();

    private BrokerKeys() {
    }

    public static final ConfigKey NODE_ID = key("node.id", INT, "1", Validator.atLeast(0),
            "Id of this broker, persisted in meta.properties at first start; a later start with another id is refused.");
    public static final ConfigKey LISTENERS = key("listeners", LIST, "PLAINTEXT://127.0.0.1:9092",
            Validator.nonEmptyList("NAME://host:port"),
            "Addresses to listen on, NAME://host:port, comma-separated; port 0 picks a free port.");
    public static final ConfigKey ADVERTISED_LISTENERS = key("advertised.listeners", LIST, null,
            Validator.any(LIST),
            "Addresses given to clients in metadata, by listener name; default: the same as listeners.");
    public static final ConfigKey LISTENER_SECURITY_PROTOCOL_MAP = key("listener.security.protocol.map", LIST,
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
            Validator.any(LIST), "Security protocol of each listener name, NAME:PROTOCOL, comma-separated.");
    public static final ConfigKey LOG_DIRS = key("log.dirs", LIST, "./data", Validator.singleItem("directory"),
            "The data directory (one directory).");
    public static final ConfigKey NUM_PARTITIONS = key("num.partitions", INT, "1", Validator.between(1, 100_000),
            "Partition count of auto-created topics.");
    public static final ConfigKey AUTO_CREATE_TOPICS = key("auto.create.topics.enable", BOOLEAN, "true",
            Validator.any(BOOLEAN), "Create a topic when a client first produces to or asks metadata for it.");
    public static final ConfigKey MAX_PARTITIONS = key("max.partitions", INT, str(Integer.MAX_VALUE), Validator.atLeast(1),
            "Most partitions of all topics together; a client creation beyond it is refused (POLICY_VIOLATION).");
    public static final ConfigKey SOCKET_REQUEST_MAX_BYTES = key("socket.request.max.bytes", INT, "104857600",
            Validator.atLeast(1), "Largest request frame accepted; a larger frame closes the connection.");
    public static final ConfigKey CONNECTIONS_MAX_IDLE_MS = key("connections.max.idle.ms", LONG, "600000",
            Validator.atLeast(1), "Idle connections are closed after this long.");
    public static final ConfigKey NUM_NETWORK_THREADS = key("num.network.threads", INT, "2",
            Validator.between(1, 256), "Network (Netty event loop) threads of each listener.");
    public static final ConfigKey NUM_IO_THREADS = key("num.io.threads", INT,
            Integer.toString(CoreConfig.DEFAULT_READ_THREADS), Validator.between(1, 256),
            "Threads that read index and segment files for requests (Fetch, ListOffsets), shared by every listener.");
    public static final ConfigKey MESSAGE_MAX_BYTES = key("message.max.bytes", INT, "1048588",
            Validator.atLeast(0), "Largest record batch accepted (topic-level: max.message.bytes).");
    public static final ConfigKey LOG_SEGMENT_BYTES = key("log.segment.bytes", INT, "1073741824",
            Validator.atLeast(14), "Segment size at which the active segment rolls (topic-level: segment.bytes).");
    public static final ConfigKey LOG_ROLL_MS = key("log.roll.ms", LONG, null, Validator.atLeast(1),
            "Age after which the active segment rolls; overrides log.roll.hours (topic-level: segment.ms).");
    public static final ConfigKey LOG_ROLL_HOURS = key("log.roll.hours", INT, "168", Validator.atLeast(1),
            "Age in hours after which the active segment rolls.");
    public static final ConfigKey LOG_RETENTION_MS = key("log.retention.ms", LONG, null, Validator.atLeast(-1),
            "Age after which old segments are deleted, -1 for forever; overrides minutes and hours (topic-level: retention.ms).");
    public static final ConfigKey LOG_RETENTION_MINUTES = key("log.retention.minutes", INT, null,
            Validator.atLeast(-1), "Retention in minutes; overrides log.retention.hours.");
    public static final ConfigKey LOG_RETENTION_HOURS = key("log.retention.hours", INT, "168",
            Validator.atLeast(-1), "Retention in hours.");
    public static final ConfigKey LOG_RETENTION_BYTES = key("log.retention.bytes", LONG, "-1",
            Validator.atLeast(-1), "Size each partition is trimmed to by deleting old segments, -1 for no limit (topic-level: retention.bytes).");
    public static final ConfigKey LOG_RETENTION_CHECK_INTERVAL_MS = key("log.retention.check.interval.ms", LONG,
            "300000", Validator.atLeast(1), "How often retention and segment age are checked.");
    public static final ConfigKey LOG_INDEX_INTERVAL_BYTES = key("log.index.interval.bytes", INT, "4096",
            Validator.atLeast(0), "Bytes between two entries of the sparse offset and time indexes (topic-level: index.interval.bytes).");
    public static final ConfigKey LOG_MESSAGE_TIMESTAMP_TYPE = key("log.message.timestamp.type", STRING,
            "CreateTime", Validator.oneOf("CreateTime", "LogAppendTime"),
            "Timestamp records carry: the producer's or the broker's at append (topic-level: message.timestamp.type).");
    public static final ConfigKey LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = key("log.message.timestamp.before.max.ms",
            LONG, "9223372036854775807", Validator.atLeast(0),
            "Largest allowed age of a CreateTime record's timestamp at append; older batches get INVALID_TIMESTAMP (topic-level: message.timestamp.before.max.ms).");
    public static final ConfigKey LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = key("log.message.timestamp.after.max.ms",
            LONG, "3600000", Validator.atLeast(0),
            "How far in the future a CreateTime record's timestamp may be at append; later batches get INVALID_TIMESTAMP (topic-level: message.timestamp.after.max.ms).");
    public static final ConfigKey FILE_DELETE_DELAY_MS = key("file.delete.delay.ms", LONG, "60000",
            Validator.atLeast(0), "How long a segment removed by retention stays readable before its files are deleted.");
    public static final ConfigKey LOG_FLUSH_POLICY = key("log.flush.policy", STRING, "async",
            Validator.oneOf("async", "sync"),
            "sync: fsync before acknowledging (group commit); async: fsync every log.flush.interval.ms (topic-level: flush.policy).");
    public static final ConfigKey LOG_FLUSH_INTERVAL_MS = key("log.flush.interval.ms", LONG, "1000",
            Validator.atLeast(1), "Interval of the periodic fsync of async topics (topic-level: flush.ms).");
    public static final ConfigKey LOG_SCRUBBER_ENABLE = key("log.scrubber.enable", BOOLEAN, "true",
            Validator.any(BOOLEAN), "Whether closed segments are checked in the background (CRC32C and headers); damaged ranges are answered CORRUPT_MESSAGE.");
    public static final ConfigKey LOG_SCRUBBER_BYTES_PER_SECOND = key("log.scrubber.bytes.per.second", LONG, "4194304",
            Validator.atLeast(1), "Read rate of the segment scrubber.");
    public static final ConfigKey LOG_SCRUBBER_INTERVAL_MS = key("log.scrubber.interval.ms", LONG, "60000",
            Validator.atLeast(1), "Pause between two scrub passes; each pass reads every closed segment again.");
    public static final ConfigKey LOG_CLEANUP_POLICY = key("log.cleanup.policy", LIST, "delete",
            Validator.listOf("delete", "compact"),
            "What happens to old segments: delete (retention), compact (the cleaner keeps the latest record of each key) or both (topic-level: cleanup.policy).");
    public static final ConfigKey LOG_CLEANER_ENABLE = key("log.cleaner.enable", BOOLEAN, Boolean.toString(CLEANER.enabled()),
            Validator.any(BOOLEAN), "Whether the log cleaner runs; without it compacted topics only grow.");
    public static final ConfigKey LOG_CLEANER_THREADS = key("log.cleaner.threads", INT, str(CLEANER.threads()),
            Validator.between(1, 64), "Cleaner threads: partitions compacted at once.");
    public static final ConfigKey LOG_CLEANER_DEDUPE_BUFFER_SIZE = key("log.cleaner.dedupe.buffer.size", LONG,
            str(CLEANER.dedupeBufferSize()), Validator.atLeast(1 << 20),
            "Memory of the cleaner's key maps, all threads together (24 bytes per distinct key); a partition with more dirty keys is cleaned in several passes.");
    public static final ConfigKey LOG_CLEANER_IO_MAX_BYTES_PER_SECOND = key("log.cleaner.io.max.bytes.per.second", DOUBLE,
            Double.toString(CLEANER.ioMaxBytesPerSecond()), Validator.betweenDecimal(Double.MIN_VALUE, Double.MAX_VALUE),
            "Read plus write rate of all cleaner threads together.");
    public static final ConfigKey LOG_CLEANER_BACKOFF_MS = key("log.cleaner.backoff.ms", LONG, str(CLEANER.backoffMs()),
            Validator.atLeast(0), "How long a cleaner thread sleeps when no partition is due.");
    public static final ConfigKey LOG_CLEANER_DELETE_RETENTION_MS = key("log.cleaner.delete.retention.ms", LONG, "86400000",
            Validator.atLeast(0), "How long a tombstone stays once the cleaner has passed over it (topic-level: delete.retention.ms).");
    public static final ConfigKey LOG_CLEANER_MIN_CLEANABLE_RATIO = key("log.cleaner.min.cleanable.ratio", DOUBLE, "0.5",
            Validator.betweenDecimal(0, 1), "Dirty share of a compacted partition above which it is cleaned (topic-level: min.cleanable.dirty.ratio).");
    public static final ConfigKey LOG_CLEANER_MIN_COMPACTION_LAG_MS = key("log.cleaner.min.compaction.lag.ms", LONG, "0",
            Validator.atLeast(0), "Records younger than this are not compacted (topic-level: min.compaction.lag.ms).");
    public static final ConfigKey LOG_CLEANER_MAX_COMPACTION_LAG_MS = key("log.cleaner.max.compaction.lag.ms", LONG,
            "9223372036854775807", Validator.atLeast(1),
            "Records older than this are cleaned whatever the dirty ratio (topic-level: max.compaction.lag.ms).");
    public static final ConfigKey PRODUCER_ID_EXPIRATION_MS = key("producer.id.expiration.ms", LONG, "86400000",
            Validator.atLeast(1), "Idempotent-producer state is dropped after the producer is idle this long.");
    public static final ConfigKey INGEST_RING_SIZE = key("ingest.ring.size", INT, "4096", Validator.powerOfTwo(),
            "Slots in the ingest ring; a full ring is back-pressure.");
    public static final ConfigKey DELETE_TOPIC_ENABLE = key("delete.topic.enable", BOOLEAN, "true",
            Validator.any(BOOLEAN), "Whether DeleteTopics may delete topics; false answers TOPIC_DELETION_DISABLED.");
    public static final ConfigKey GROUP_MIN_SESSION_TIMEOUT_MS = key("group.min.session.timeout.ms", INT, str(GROUP.minSessionTimeoutMs()),
            Validator.atLeast(1), "Smallest session timeout a classic-group member may ask for.");
    public static final ConfigKey GROUP_MAX_SESSION_TIMEOUT_MS = key("group.max.session.timeout.ms", INT, str(GROUP.maxSessionTimeoutMs()),
            Validator.atLeast(1), "Largest session timeout a classic-group member may ask for.");
    public static final ConfigKey GROUP_INITIAL_REBALANCE_DELAY_MS = key("group.initial.rebalance.delay.ms", INT,
            str(GROUP.initialRebalanceDelayMs()), Validator.atLeast(0), "How long the first rebalance of an empty classic group waits for more members"
                    + " (0, as in the server.properties Kafka ships; Kafka's built-in default is 3000).");
    public static final ConfigKey GROUP_MAX_SIZE = key("group.max.size", INT, str(GROUP.maxGroupSize()), Validator.atLeast(1),
            "Most members a group may have.");
    public static final ConfigKey GROUP_CONSUMER_SESSION_TIMEOUT_MS = key("group.consumer.session.timeout.ms", INT,
            str(GROUP.consumerSessionTimeoutMs()), Validator.atLeast(1), "Session timeout of members of consumer-protocol (KIP-848) groups.");
    public static final ConfigKey GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = key("group.consumer.heartbeat.interval.ms",
            INT, str(GROUP.consumerHeartbeatIntervalMs()), Validator.atLeast(1), "Heartbeat interval given to members of consumer-protocol groups.");
    public static final ConfigKey GROUP_CONSUMER_ASSIGNORS = key("group.consumer.assignors", LIST, "uniform,range",
            Validator.listOf("uniform", "range"),
            "Server-side assignors of consumer-protocol groups; the first is the default.");
    public static final ConfigKey OFFSETS_RETENTION_MINUTES = key("offsets.retention.minutes", INT, str(GROUP.offsetsRetentionMs() / 60_000L),
            Validator.atLeast(1), "How long the committed offsets of an empty group are kept.");
    public static final ConfigKey OFFSETS_RETENTION_CHECK_INTERVAL_MS = key("offsets.retention.check.interval.ms",
            LONG, str(GROUP.offsetsRetentionCheckIntervalMs()), Validator.atLeast(1), "How often expired offsets and groups are removed.");
    public static final ConfigKey OFFSETS_TOPIC_SEGMENT_BYTES = key("offsets.topic.segment.bytes", INT, str(GROUP_STORE.segmentBytes()),
            Validator.atLeast(1024), "Segment size of the compacted __consumer_offsets; only closed segments are "
                    + "compacted, so it bounds the uncompacted history a start replays.");
    public static final ConfigKey OFFSET_METADATA_MAX_BYTES = key("offset.metadata.max.bytes", INT, str(GROUP.offsetMetadataMaxBytes()),
            Validator.atLeast(0), "Largest metadata string of a committed offset; larger gets OFFSET_METADATA_TOO_LARGE.");
    public static final ConfigKey GROUP_SHARE_RECORD_LOCK_DURATION_MS = key("group.share.record.lock.duration.ms", INT,
            str(SHARE.recordLockDurationMs()), Validator.between(1000, 3_600_000),
            "How long a record acquired by a share-group member stays locked to it.");
    public static final ConfigKey GROUP_SHARE_DELIVERY_COUNT_LIMIT = key("group.share.delivery.count.limit", INT,
            str(SHARE.deliveryCountLimit()), Validator.between(2, 10),
            "Deliveries after which a released or expired record is archived instead of made available again.");
    public static final ConfigKey GROUP_SHARE_PARTITION_MAX_RECORD_LOCKS = key("group.share.partition.max.record.locks",
            INT, str(SHARE.maxRecordLocks()), Validator.between(100, 10_000),
            "In-flight window of a share partition, in offsets: bounds what members may hold at once.");
    public static final ConfigKey GROUP_SHARE_HEARTBEAT_INTERVAL_MS = key("group.share.heartbeat.interval.ms", INT,
            str(SHARE.heartbeatIntervalMs()), Validator.atLeast(1), "Heartbeat interval given to share-group members.");
    public static final ConfigKey GROUP_SHARE_SESSION_TIMEOUT_MS = key("group.share.session.timeout.ms", INT,
            str(SHARE.sessionTimeoutMs()), Validator.atLeast(1),
            "A share-group member not heard from for this long is removed and its records released.");
    public static final ConfigKey GROUP_SHARE_MAX_SIZE = key("group.share.max.size", INT, str(SHARE.maxGroupSize()),
            Validator.between(1, 1000), "Most members a share group may have (else GROUP_MAX_SIZE_REACHED).");
    public static final ConfigKey GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS = key("group.share.min.record.lock.duration.ms", INT,
            str(SHARE.bounds().recordLockDurationMs().min()), Validator.between(1000, 30_000), "Smallest share.record.lock.duration.ms a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MAX_RECORD_LOCK_DURATION_MS = key("group.share.max.record.lock.duration.ms", INT,
            str(SHARE.bounds().recordLockDurationMs().max()), Validator.between(30_000, 3_600_000), "Largest share.record.lock.duration.ms a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MIN_DELIVERY_COUNT_LIMIT = key("group.share.min.delivery.count.limit", INT,
            str(SHARE.bounds().deliveryCountLimit().min()), Validator.between(2, 5), "Smallest share.delivery.count.limit a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MAX_DELIVERY_COUNT_LIMIT = key("group.share.max.delivery.count.limit", INT,
            str(SHARE.bounds().deliveryCountLimit().max()), Validator.between(5, 25), "Largest share.delivery.count.limit a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MIN_SESSION_TIMEOUT_MS = key("group.share.min.session.timeout.ms", INT,
            str(SHARE.bounds().sessionTimeoutMs().min()), Validator.atLeast(1), "Smallest share.session.timeout.ms a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MAX_SESSION_TIMEOUT_MS = key("group.share.max.session.timeout.ms", INT,
            str(SHARE.bounds().sessionTimeoutMs().max()), Validator.atLeast(1), "Largest share.session.timeout.ms a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MIN_HEARTBEAT_INTERVAL_MS = key("group.share.min.heartbeat.interval.ms", INT,
            str(SHARE.bounds().heartbeatIntervalMs().min()), Validator.atLeast(1), "Smallest share.heartbeat.interval.ms a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MAX_HEARTBEAT_INTERVAL_MS = key("group.share.max.heartbeat.interval.ms", INT,
            str(SHARE.bounds().heartbeatIntervalMs().max()), Validator.atLeast(1), "Largest share.heartbeat.interval.ms a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MIN_PARTITION_MAX_RECORD_LOCKS = key("group.share.min.partition.max.record.locks", INT,
            str(SHARE.bounds().partitionMaxRecordLocks().min()), Validator.between(100, 2_000), "Smallest share.partition.max.record.locks a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MAX_PARTITION_MAX_RECORD_LOCKS = key("group.share.max.partition.max.record.locks", INT,
            str(SHARE.bounds().partitionMaxRecordLocks().max()), Validator.between(2_000, 10_000), "Largest share.partition.max.record.locks a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MIN_ASSIGNMENT_INTERVAL_MS = key("group.share.min.assignment.interval.ms", INT,
            str(SHARE.bounds().assignmentIntervalMs().min()), Validator.atLeast(0), "Smallest share.assignment.interval.ms a share group may set for itself.");
    public static final ConfigKey GROUP_SHARE_MAX_ASSIGNMENT_INTERVAL_MS = key("group.share.max.assignment.interval.ms", INT,
            str(SHARE.bounds().assignmentIntervalMs().max()), Validator.atLeast(0), "Largest share.assignment.interval.ms a share group may set for itself.");
    public static final ConfigKey ERRORS_DEADLETTERQUEUE_AUTO_CREATE_TOPICS_ENABLE = key(
            "errors.deadletterqueue.auto.create.topics.enable", BOOLEAN, "false", Validator.any(BOOLEAN),
            "Create a share group's dead-letter topic (KIP-1191) on its first dead letter when it does not exist.");
    public static final ConfigKey ERRORS_DEADLETTERQUEUE_TOPIC_NAME_PREFIX = key(
            "errors.deadletterqueue.topic.name.prefix", STRING, "dlq.", Validator.any(STRING),
            "Prefix every share group's dead-letter topic name must have; empty for none.");
    public static final ConfigKey TRANSACTION_MAX_TIMEOUT_MS = key("transaction.max.timeout.ms", LONG,
            str(TRANSACTIONS.maxTimeoutMs()), Validator.atLeast(1),
            "Largest transaction timeout a producer may ask for; larger gets INVALID_TRANSACTION_TIMEOUT.");
    public static final ConfigKey TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS = key(
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", LONG,
            str(TRANSACTIONS.abortTimedOutIntervalMs()), Validator.atLeast(1),
            "How often transactions open longer than their timeout are aborted.");
    public static final ConfigKey TRANSACTIONAL_ID_EXPIRATION_MS = key("transactional.id.expiration.ms", LONG,
            str(TRANSACTIONS.idExpirationMs()), Validator.atLeast(1),
            "A transactional id with no open transaction and no request for this long is forgotten.");
    public static final ConfigKey TRANSACTION_VERSION = key("transaction.version", INT,
            str(TRANSACTIONS.transactionVersion().level()), Validator.between(1, 2),
            "Finalized level of Kafka's transaction.version feature: 2 (KIP-890 part 2: partitions added by Produce, "
                    + "an epoch bump per EndTxn) or 1 (AddPartitionsToTxn first, one epoch per producer session).");
    public static final ConfigKey TRANSACTION_CHECK_TIMEOUT_MS = key("transaction.check.timeout.ms", LONG,
            str(HALF.checkTimeoutMs()), Validator.atLeast(1),
            "A half message undecided this long after it was sent is checked the first time (RocketMQ transactionTimeOut).");
    public static final ConfigKey TRANSACTION_CHECK_INTERVAL_MS = key("transaction.check.interval.ms", LONG,
            str(HALF.checkIntervalMs()), Validator.atLeast(1),
            "Time between two checks of an undecided half message (RocketMQ transactionCheckInterval).");
    public static final ConfigKey TRANSACTION_CHECK_MAX = key("transaction.check.max", INT, str(HALF.checkMax()),
            Validator.atLeast(0), "Checks of an undecided half message before its outcome is applied (RocketMQ transactionCheckMax).");
    public static final ConfigKey TRANSACTION_CHECK_MAX_OUTCOME = key("transaction.check.max.outcome", STRING,
            "rollback", Validator.oneOf("rollback", "commit"),
            "What a half message still undecided after the last check becomes.");
    public static final ConfigKey TRANSACTION_DECIDED_RETENTION_MS = key("transaction.decided.retention.ms", LONG,
            str(HALF.decidedRetentionMs()), Validator.atLeast(1),
            "A decided half message is remembered this long (a decision the other way is refused), then forgotten.");

    /** All keys, in documentation order. */
    public static final List<ConfigKey> ALL = List.of(NODE_ID, LISTENERS, ADVERTISED_LISTENERS, LOG_DIRS,
            NUM_PARTITIONS, AUTO_CREATE_TOPICS, MAX_PARTITIONS, SOCKET_REQUEST_MAX_BYTES, CONNECTIONS_MAX_IDLE_MS,
            NUM_NETWORK_THREADS, NUM_IO_THREADS, MESSAGE_MAX_BYTES, LOG_SEGMENT_BYTES, LOG_ROLL_MS, LOG_ROLL_HOURS,
            LOG_RETENTION_MS, LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS, LOG_RETENTION_BYTES,
            LOG_RETENTION_CHECK_INTERVAL_MS, LOG_INDEX_INTERVAL_BYTES, LOG_MESSAGE_TIMESTAMP_TYPE,
            LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS,
            FILE_DELETE_DELAY_MS, LOG_FLUSH_POLICY, LOG_FLUSH_INTERVAL_MS,
            LOG_SCRUBBER_ENABLE, LOG_SCRUBBER_BYTES_PER_SECOND, LOG_SCRUBBER_INTERVAL_MS,
            LOG_CLEANUP_POLICY, LOG_CLEANER_ENABLE,
            LOG_CLEANER_THREADS, LOG_CLEANER_DEDUPE_BUFFER_SIZE, LOG_CLEANER_IO_MAX_BYTES_PER_SECOND,
            LOG_CLEANER_BACKOFF_MS, LOG_CLEANER_DELETE_RETENTION_MS, LOG_CLEANER_MIN_CLEANABLE_RATIO,
            LOG_CLEANER_MIN_COMPACTION_LAG_MS, LOG_CLEANER_MAX_COMPACTION_LAG_MS, PRODUCER_ID_EXPIRATION_MS,
            INGEST_RING_SIZE, DELETE_TOPIC_ENABLE, GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS,
            GROUP_INITIAL_REBALANCE_DELAY_MS, GROUP_MAX_SIZE, GROUP_CONSUMER_SESSION_TIMEOUT_MS,
            GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, GROUP_CONSUMER_ASSIGNORS, OFFSETS_RETENTION_MINUTES,
            OFFSETS_RETENTION_CHECK_INTERVAL_MS, OFFSETS_TOPIC_SEGMENT_BYTES, OFFSET_METADATA_MAX_BYTES,
            GROUP_SHARE_RECORD_LOCK_DURATION_MS, GROUP_SHARE_DELIVERY_COUNT_LIMIT, GROUP_SHARE_PARTITION_MAX_RECORD_LOCKS,
            GROUP_SHARE_HEARTBEAT_INTERVAL_MS, GROUP_SHARE_SESSION_TIMEOUT_MS, GROUP_SHARE_MAX_SIZE,
            GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS, GROUP_SHARE_MAX_RECORD_LOCK_DURATION_MS,
            GROUP_SHARE_MIN_DELIVERY_COUNT_LIMIT, GROUP_SHARE_MAX_DELIVERY_COUNT_LIMIT,
            GROUP_SHARE_MIN_SESSION_TIMEOUT_MS, GROUP_SHARE_MAX_SESSION_TIMEOUT_MS,
            GROUP_SHARE_MIN_HEARTBEAT_INTERVAL_MS, GROUP_SHARE_MAX_HEARTBEAT_INTERVAL_MS,
            GROUP_SHARE_MIN_PARTITION_MAX_RECORD_LOCKS, GROUP_SHARE_MAX_PARTITION_MAX_RECORD_LOCKS,
            GROUP_SHARE_MIN_ASSIGNMENT_INTERVAL_MS, GROUP_SHARE_MAX_ASSIGNMENT_INTERVAL_MS,
            ERRORS_DEADLETTERQUEUE_AUTO_CREATE_TOPICS_ENABLE, ERRORS_DEADLETTERQUEUE_TOPIC_NAME_PREFIX,
            TRANSACTION_MAX_TIMEOUT_MS, TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS, TRANSACTIONAL_ID_EXPIRATION_MS,
            TRANSACTION_VERSION, LISTENER_SECURITY_PROTOCOL_MAP,
            TRANSACTION_CHECK_TIMEOUT_MS, TRANSACTION_CHECK_INTERVAL_MS, TRANSACTION_CHECK_MAX,
            TRANSACTION_CHECK_MAX_OUTCOME,
            TRANSACTION_DECIDED_RETENTION_MS);

    /** {@link #ALL} by name. */
    public static final Map<String, ConfigKey> BY_NAME = ALL.stream()
            .collect(Collectors.toMap(ConfigKey::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));

    private static String str(long value) {
        return Long.toString(value);
    }

    private static ConfigKey key(String name, ConfigType type, String defaultValue, Validator validator, String doc) {
        return new ConfigKey(name, type, defaultValue, validator, doc);
    }
}
