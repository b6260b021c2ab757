package io.tributary.differential;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Share groups (KIP-932) through {@link KafkaShareConsumer} and {@link Admin}: describe and list outputs,
 * offsets administration errors, delivery counts and group ids shared with consumer groups must be Kafka's on
 * both brokers.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ShareGroupDifferentialIT {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long DEADLINE_MS = 60_000;
    private static final long ACCEPT = 1;
    private static final long RELEASE = 2;

    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(60)
    void describeUnknownShareGroup() {
        differential("error GroupIdNotFoundException", (b, admin) -> Outcome.of(() ->
                describe(admin, "share-never-joined").groupState()));
    }

    @Test
    @Timeout(90)
    void shareConsumerOnAConsumerGroupsId() {
        differential("ok describe GroupIdNotFoundException, alter GroupIdNotFoundException, delete "
                + "GroupIdNotFoundException, poll GroupIdNotFoundException", (b, admin) ->
                Outcome.of(() -> {
                    Differential.createTopic(admin, "share-typed", 1);
                    try (KafkaConsumer<byte[], byte[]> plain = Consumers.consumer(b, "g-typed", "earliest",
                            Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
                        plain.subscribe(List.of("share-typed"));
                        Consumers.pollUntilAssigned(plain);
                        String described = Outcome.of(() -> describe(admin, "g-typed").groupState())
                                .replace("error ", "");
                        TopicPartition tp = new TopicPartition("share-typed", 0);
                        String alter = Outcome.of(() -> admin.alterShareGroupOffsets("g-typed", Map.of(tp, 0L))
                                .partitionResult(tp).get(30, TimeUnit.SECONDS)).replace("error ", "");
                        String delete = Outcome.of(() -> admin.deleteShareGroupOffsets("g-typed",
                                java.util.Set.of("share-typed")).all().get(30, TimeUnit.SECONDS)).replace("error ", "");
                        try (KafkaShareConsumer<byte[], byte[]> share = shareConsumer(b, "g-typed")) {
                            share.subscribe(List.of("share-typed"));
                            return "describe " + described + ", alter " + alter + ", delete " + delete + ", poll "
                                    + pollUntilThrown(share);
                        }
                    }
                }));
    }

    @Test
    @Timeout(120)
    void implicitModeCloseWithoutCommitHandsThePollToAnotherMember() {
        // kafka-clients 4.4's close() in implicit mode sends no acknowledgement for the last poll: both brokers then
        // release those records at once, and the next member gets them on their second delivery
        differential("ok first poll 3; next member [0/2, 1/2, 2/2]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "share-implicit-close", 1);
            earliest(admin, "s-implicit-close");
            Differential.produce(b, "share-implicit-close", 3);
            int first = 0;
            try (KafkaShareConsumer<byte[], byte[]> holder = shareConsumer(b, "s-implicit-close", "implicit")) {
                holder.subscribe(List.of("share-implicit-close"));
                long deadline = System.currentTimeMillis() + DEADLINE_MS;
                while (first == 0 && System.currentTimeMillis() < deadline) {
                    first = holder.poll(POLL).count(); // one poll only: a second would accept this one's records
                }
            }
            List<String> next = new ArrayList<>();
            try (KafkaShareConsumer<byte[], byte[]> other = shareConsumer(b, "s-implicit-close", "explicit")) {
                other.subscribe(List.of("share-implicit-close"));
                long deadline = System.currentTimeMillis() + DEADLINE_MS;
                while (next.size() < 3 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : other.poll(POLL)) {
                        next.add(r.offset() + "/" + r.deliveryCount().orElse((short) -1));
                        other.acknowledge(r, AcknowledgeType.ACCEPT);
                    }
                }
                other.commitSync(Duration.ofSeconds(30));
            }
            next.sort(null);
            return "first poll " + first + "; next member " + next;
        }));
    }

    @Test
    @Timeout(120)
    void describeListAndDeliveryCountAfterRelease() {
        differential("ok Stable 1 member(s) 1 partition(s); listed as Share; counts [1, 2]; "
                        + "alter while a member: GroupNotEmptyException", (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "share-release", 1);
                    earliest(admin, "s-release");
                    Differential.produce(b, "share-release", 1);
                    try (KafkaShareConsumer<byte[], byte[]> share = shareConsumer(b, "s-release")) {
                        share.subscribe(List.of("share-release"));
                        List<Integer> counts = new ArrayList<>();
                        ConsumerRecord<byte[], byte[]> first = pollOne(share);
                        counts.add(first.deliveryCount().orElse((short) -1).intValue());
                        share.acknowledge(first, AcknowledgeType.RELEASE);
                        share.commitSync(Duration.ofSeconds(30));
                        ConsumerRecord<byte[], byte[]> again = pollOne(share);
                        counts.add(again.deliveryCount().orElse((short) -1).intValue());
                        share.acknowledge(again, AcknowledgeType.ACCEPT);
                        share.commitSync(Duration.ofSeconds(30));

                        ShareGroupDescription d = describe(admin, "s-release");
                        String shape = d.groupState() + " " + d.members().size()
                                + " member(s) " + d.members().stream()
                                .mapToInt(m -> m.assignment().topicPartitions().size()).sum() + " partition(s)";
                        Collection<GroupListing> listed = admin.listGroups(ListGroupsOptions.forShareGroups())
                                .all().get(30, TimeUnit.SECONDS);
                        String type = listed.stream().filter(g -> g.groupId().equals("s-release"))
                                .map(g -> g.type().map(Object::toString).orElse("none")).findFirst().orElse("absent");
                        String alter = Outcome.of(() -> admin.alterShareGroupOffsets("s-release",
                                        Map.of(new TopicPartition("share-release", 0), 0L))
                                .partitionResult(new TopicPartition("share-release", 0)).get(30, TimeUnit.SECONDS))
                                .replace("error ", "");
                        return shape + "; listed as " + type + "; counts " + counts + "; alter while a member: "
                                + alter;
                    }
                }));
    }

    @Test
    @Timeout(60)
    void alterAndDeleteOffsetsOfUnknownShareGroup() {
        differential("ok delete error GroupIdNotFoundException, alter ok null, then Empty with start offset 1", (b, admin) ->
                Outcome.of(() -> {
                    Differential.createTopic(admin, "share-unknown-offsets", 1);
                    Differential.produce(b, "share-unknown-offsets", 2);
                    TopicPartition tp = new TopicPartition("share-unknown-offsets", 0);
                    String delete = Outcome.of(() -> admin.deleteShareGroupOffsets("s-never-deleted",
                            java.util.Set.of("share-unknown-offsets")).all().get(30, TimeUnit.SECONDS));
                    String alter = Outcome.of(() -> admin.alterShareGroupOffsets("s-never-altered", Map.of(tp, 1L))
                            .partitionResult(tp).get(30, TimeUnit.SECONDS));
                    ShareGroupDescription d = describe(admin, "s-never-altered");
                    var offsets = admin.listShareGroupOffsets(Map.of("s-never-altered",
                                    new org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec()))
                            .partitionsToOffsetInfo("s-never-altered").get(30, TimeUnit.SECONDS);
                    var info = offsets.get(tp);
                    return "delete " + delete + ", alter " + alter + ", then " + d.groupState()
                            + " with start offset " + (info == null ? "none" : info.startOffset());
                }));
    }

    @Test
    @Timeout(120)
    void acknowledgeAfterTheLockExpired() {
        differential("ok first delivery 1, commit after expiry [InvalidRecordStateException], next delivery 2", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "share-expiry", 1);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, "s-expiry"), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", "3000"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            Differential.produce(b, "share-expiry", 1);
            try (KafkaShareConsumer<byte[], byte[]> share = shareConsumer(b, "s-expiry")) {
                share.subscribe(List.of("share-expiry"));
                ConsumerRecord<byte[], byte[]> first = pollOne(share);
                Thread.sleep(6_000);
                share.acknowledge(first, AcknowledgeType.ACCEPT);
                List<String> results = new ArrayList<>();
                share.commitSync(Duration.ofSeconds(30)).values().forEach(r ->
                        results.add(r.map(e -> e.getClass().getSimpleName()).orElse("null")));
                ConsumerRecord<byte[], byte[]> again = pollOne(share);
                return "first delivery " + first.deliveryCount().orElse((short) -1) + ", commit after expiry "
                        + results + ", next delivery " + again.deliveryCount().orElse((short) -1);
            }
        }));
    }

    @Test
    @Timeout(60)
    void groupConfigDefaults() {
        differential("ok {errors.deadletterqueue.copy.record.enable=false DEFAULT_CONFIG, "
                + "errors.deadletterqueue.topic.name= DEFAULT_CONFIG, "
                + "share.assignment.interval.ms=1000 DEFAULT_CONFIG, share.auto.offset.reset=latest DEFAULT_CONFIG, "
                + "share.delivery.count.limit=5 DEFAULT_CONFIG, share.heartbeat.interval.ms=5000 DEFAULT_CONFIG, "
                + "share.isolation.level=read_uncommitted DEFAULT_CONFIG, share.partition.max.record.locks=2000 "
                + "DEFAULT_CONFIG, share.record.lock.duration.ms=30000 DEFAULT_CONFIG, "
                + "share.renew.acknowledge.enable=true DEFAULT_CONFIG, share.session.timeout.ms=45000 DEFAULT_CONFIG}", (b, admin) -> Outcome.of(() -> {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "s-config-defaults");
            var config = admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            return new java.util.TreeMap<>(config.entries().stream().filter(e -> e.name().startsWith("share.")
                            || e.name().startsWith("errors.deadletterqueue."))
                    .collect(java.util.stream.Collectors.toMap(ConfigEntry::name,
                            e -> e.value() + " " + e.source())));
        }));
    }

    @Test
    @Timeout(120)
    void deadLetterOfARejectedRecord() {
        differential("ok dlq name __x: InvalidConfigurationException; dead letters 1: key k value v headers "
                + "{__dlq.errors.delivery.count=1, __dlq.errors.group=s-dlq, __dlq.errors.message=Offset rejected by "
                + "client., __dlq.errors.offset=0, __dlq.errors.partition=0, __dlq.errors.topic=share-dlq}", (b, admin) ->
                Outcome.of(() -> {
                    Differential.createTopic(admin, "share-dlq", 1);
                    Differential.createTopic(admin, new org.apache.kafka.clients.admin.NewTopic("dlq.share-dlq", 1,
                            (short) 1).configs(Map.of("errors.deadletterqueue.group.enable", "true")));
                    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "s-dlq");
                    String badName = Outcome.of(() -> admin.incrementalAlterConfigs(Map.of(group, List.of(
                            new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.topic.name", "__x"),
                                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS)).replace("error ", "");
                    admin.incrementalAlterConfigs(Map.of(group, List.of(
                            new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                            new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.topic.name", "dlq.share-dlq"),
                                    AlterConfigOp.OpType.SET),
                            new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.copy.record.enable", "true"),
                                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
                    try (var producer = Differential.producer(b, Map.of())) {
                        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("share-dlq", 0,
                                "k".getBytes(), "v".getBytes())).get(30, TimeUnit.SECONDS);
                    }
                    try (KafkaShareConsumer<byte[], byte[]> share = shareConsumer(b, "s-dlq")) {
                        share.subscribe(List.of("share-dlq"));
                        share.acknowledge(pollOne(share), AcknowledgeType.REJECT);
                        share.commitSync(Duration.ofSeconds(30));
                    }
                    Properties props = new Properties();
                    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
                    try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                        TopicPartition dlq = new TopicPartition("dlq.share-dlq", 0);
                        reader.assign(List.of(dlq));
                        reader.seekToBeginning(List.of(dlq));
                        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
                        long deadline = System.currentTimeMillis() + DEADLINE_MS;
                        while (letters.isEmpty() && System.currentTimeMillis() < deadline) {
                            reader.poll(POLL).forEach(letters::add);
                        }
                        StringBuilder out = new StringBuilder("dlq name __x: " + badName + "; dead letters "
                                + letters.size());
                        for (ConsumerRecord<byte[], byte[]> letter : letters) {
                            java.util.TreeMap<String, String> headers = new java.util.TreeMap<>();
                            letter.headers().forEach(h -> headers.put(h.key(), new String(h.value())));
                            out.append(": key ").append(letter.key() == null ? "null" : new String(letter.key()))
                                    .append(" value ").append(letter.value() == null ? "null" : new String(letter.value()))
                                    .append(" headers ").append(headers);
                        }
                        return out.toString();
                    }
                }));
    }

    @Test
    @Timeout(60)
    void describeGroupsOfAShareGroup() {
        differential("ok classic describe: GroupIdNotFoundException The group id does not exist.",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "share-classic-view", 1);
                    TopicPartition tp = new TopicPartition("share-classic-view", 0);
                    // Kafka's group coordinator may learn of the new topic a moment after its metadata shows it
                    long deadline = System.currentTimeMillis() + 15_000;
                    while (true) {
                        try {
                            admin.alterShareGroupOffsets("s-classic-view", Map.of(tp, 0L)).partitionResult(tp)
                                    .get(30, TimeUnit.SECONDS);
                            break;
                        } catch (java.util.concurrent.ExecutionException e) {
                            if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                                    || System.currentTimeMillis() > deadline) {
                                throw e;
                            }
                            Thread.sleep(200);
                        }
                    }
                    try {
                        admin.describeClassicGroups(List.of("s-classic-view")).all().get(30, TimeUnit.SECONDS);
                        return "classic describe: ok";
                    } catch (java.util.concurrent.ExecutionException e) {
                        return "classic describe: " + e.getCause().getClass().getSimpleName() + " "
                                + e.getCause().getMessage();
                    }
                }));
    }

    @Test
    @Timeout(120)
    void acknowledgementBatchesOfOnePartitionApplyAllOrNothing() {
        // one request, one partition: a valid batch, then one the member cannot acknowledge (past what it acquired;
        // starting on the offset the first batch just accepted). Kafka's share partition rolls the first batch back
        differential("ok acquired [0/1, 1/1, 2/1, 3/1] validThenBeyond=INVALID_REQUEST "
                        + "validThenOverlapping=INVALID_RECORD_STATE releaseAll=NONE again [0/2, 1/2, 2/2, 3/2] "
                        + "acceptAll=NONE pastAnEmptyWindow=INVALID_RECORD_STATE",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "share-atomic", 1);
                    earliest(admin, "s-atomic");
                    Differential.produce(b, "share-atomic", 4);
                    Uuid id = admin.describeTopics(List.of("share-atomic")).allTopicNames().get(30, TimeUnit.SECONDS)
                            .get("share-atomic").topicId();
                    try (RawRequests connection = new RawRequests(b.bootstrapServers())) {
                        RawShareMember member = new RawShareMember(connection, "s-atomic");
                        member.joinUntilAssigned("share-atomic");
                        List<String> acquired = member.fetchUntilAcquired(id, 4);
                        String beyond = member.acknowledge(id, new long[] {0, 1, ACCEPT}, new long[] {2, 5, ACCEPT});
                        String overlapping = member.acknowledge(id, new long[] {0, 1, ACCEPT},
                                new long[] {1, 2, ACCEPT});
                        String releaseAll = member.acknowledge(id, new long[] {0, 3, RELEASE});
                        List<String> again = member.fetchUntilAcquired(id, 4);
                        String acceptAll = member.acknowledge(id, new long[] {0, 3, ACCEPT});
                        String pastAnEmptyWindow = member.acknowledge(id, new long[] {4, 4, ACCEPT});
                        return "acquired " + acquired + " validThenBeyond=" + beyond + " validThenOverlapping="
                                + overlapping + " releaseAll=" + releaseAll + " again " + again + " acceptAll="
                                + acceptAll + " pastAnEmptyWindow=" + pastAnEmptyWindow;
                    }
                }));
    }

    @Test
    @Timeout(120)
    void acknowledgingAcrossTheStartOffset() {
        // a range reaching from below the start offset into the in-flight records, within one batch of four records,
        // then across two batches: Kafka acknowledges the part from the start offset on, both times
        differential("ok acquired [0/1, 1/1, 2/1, 3/1] first=NONE intoTheAcceptedOnes=NONE rest=NONE "
                        + "acquired [4/1, 5/1] fromBelowTheStart=NONE lags {share-straddle-0=lag 0}",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "share-straddle", 1);
                    earliest(admin, "s-straddle");
                    try (var producer = Differential.producer(b, Map.of("linger.ms", "5000"))) {
                        for (int i = 0; i < 4; i++) {
                            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("share-straddle", 0,
                                    null, new byte[8]));
                        }
                        producer.flush();
                    }
                    Uuid id = admin.describeTopics(List.of("share-straddle")).allTopicNames()
                            .get(30, TimeUnit.SECONDS).get("share-straddle").topicId();
                    try (RawRequests connection = new RawRequests(b.bootstrapServers())) {
                        RawShareMember member = new RawShareMember(connection, "s-straddle");
                        member.joinUntilAssigned("share-straddle");
                        List<String> acquired = member.fetchUntilAcquired(id, 4);
                        String first = member.acknowledge(id, new long[] {0, 1, ACCEPT});
                        String into = member.acknowledge(id, new long[] {1, 3, ACCEPT});
                        String rest = member.acknowledge(id, new long[] {2, 3, ACCEPT});
                        Differential.produce(b, "share-straddle", 2);
                        List<String> next = member.fetchUntilAcquired(id, 2);
                        String below = member.acknowledge(id, new long[] {3, 5, ACCEPT});
                        return "acquired " + acquired + " first=" + first + " intoTheAcceptedOnes=" + into + " rest="
                                + rest + " acquired " + next + " fromBelowTheStart=" + below + " lags "
                                + awaitLags(admin, "s-straddle", lags -> "lag 0".equals(lags.get("share-straddle-0")));
                    }
                }));
    }

    @Test
    @Timeout(300)
    void aDeletedTopicsShareStateGoesWithItAndItsNamesakeStartsAfresh() {
        // the start offsets are left out: Kafka lists 0 for both (docs/differential-tests.md, difference 14)
        differential("ok before {share-deleted-0=lag 0} after deletion {} recreated [0/1, 1/1] then "
                        + "{share-deleted-0=lag 0}",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "share-deleted", 1);
                    earliest(admin, "s-deleted");
                    Differential.produce(b, "share-deleted", 3);
                    acceptAll(b, "s-deleted", "share-deleted", 3);
                    Predicate<Map<String, String>> allDone = lags -> "lag 0".equals(lags.get("share-deleted-0"));
                    String before = awaitLags(admin, "s-deleted", allDone);
                    admin.deleteTopics(List.of("share-deleted")).all().get(30, TimeUnit.SECONDS);
                    awaitGone(admin, "share-deleted");
                    String after = awaitLags(admin, "s-deleted", Map::isEmpty);
                    recreate(admin, "share-deleted");
                    Differential.produce(b, "share-deleted", 2);
                    List<String> recreated = acceptAll(b, "s-deleted", "share-deleted", 2);
                    return "before " + before + " after deletion " + after + " recreated " + recreated + " then "
                            + awaitLags(admin, "s-deleted", allDone);
                }));
    }

    @Test
    @Timeout(120)
    void acknowledgingRecordsOfADeletedTopic() {
        differential("ok acquired [0/1, 1/1] afterDeletion=UNKNOWN_TOPIC_ID", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "share-ack-deleted", 1);
            earliest(admin, "s-ack-deleted");
            Differential.produce(b, "share-ack-deleted", 2);
            Uuid id = admin.describeTopics(List.of("share-ack-deleted")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("share-ack-deleted").topicId();
            try (RawRequests connection = new RawRequests(b.bootstrapServers())) {
                RawShareMember member = new RawShareMember(connection, "s-ack-deleted");
                member.joinUntilAssigned("share-ack-deleted");
                List<String> acquired = member.fetchUntilAcquired(id, 2);
                admin.deleteTopics(List.of("share-ack-deleted")).all().get(30, TimeUnit.SECONDS);
                awaitGone(admin, "share-ack-deleted");
                return "acquired " + acquired + " afterDeletion=" + member.acknowledge(id, new long[] {0, 1, ACCEPT});
            }
        }));
    }

    @Test
    @Timeout(240)
    void aMemberSubscribedThroughADeletionReadsTheNamesakeFromItsStart() {
        differential("ok before [0/1, 1/1] namesake [0/1, 1/1]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "share-stays", 1);
            earliest(admin, "s-stays");
            Differential.produce(b, "share-stays", 2);
            try (KafkaShareConsumer<byte[], byte[]> share = shareConsumer(b, "s-stays")) {
                share.subscribe(List.of("share-stays"));
                List<String> before = pollAccepting(share, 2);
                admin.deleteTopics(List.of("share-stays")).all().get(30, TimeUnit.SECONDS);
                awaitGone(admin, "share-stays");
                recreate(admin, "share-stays");
                Differential.produce(b, "share-stays", 2);
                return "before " + before + " namesake " + pollAccepting(share, 2);
            }
        }));
    }

    /**
     * Polls until {@code count} records came or the deadline, accepting each and committing; what a poll throws
     * meanwhile (a topic deleted under the consumer) is ignored. Answers "offset/deliveryCount" in offset order.
     */
    private static List<String> pollAccepting(KafkaShareConsumer<byte[], byte[]> share, int count) {
        List<String> polled = new ArrayList<>();
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (polled.size() < count && System.currentTimeMillis() < deadline) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : share.poll(POLL)) {
                    polled.add(r.offset() + "/" + r.deliveryCount().orElse((short) -1));
                    share.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                share.commitSync(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                // the topic went away or changed its id under the consumer: poll on
            }
        }
        polled.sort(null);
        return polled;
    }

    /** Polls {@code topic} in {@code group} until {@code count} records came or the deadline; accepts and commits them. */
    private static List<String> acceptAll(ChildBroker b, String group, String topic, int count) {
        List<String> polled = new ArrayList<>();
        try (KafkaShareConsumer<byte[], byte[]> share = shareConsumer(b, group)) {
            share.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (polled.size() < count && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : share.poll(POLL)) {
                    polled.add(r.offset() + "/" + r.deliveryCount().orElse((short) -1));
                    share.acknowledge(r, AcknowledgeType.ACCEPT);
                }
            }
            share.commitSync(Duration.ofSeconds(30));
        }
        polled.sort(null);
        return polled;
    }

    /** The group's lag per share partition, as listShareGroupOffsets (DescribeShareGroupOffsets) lists them. */
    private static Map<String, String> lags(Admin admin, String group) throws Exception {
        Map<String, String> offsets = new java.util.TreeMap<>();
        admin.listShareGroupOffsets(Map.of(group, new org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> offsets.put(tp.toString(), info == null ? "null"
                        : "lag " + info.lag().map(String::valueOf).orElse("none")));
        return offsets;
    }

    /**
     * {@link #lags} once {@code done} accepts them, or as they are after 60 s. The share coordinator may record an
     * acknowledgement a moment after the consumer was answered, and both brokers drop a deleted topic's share state a
     * moment after answering DeleteTopics; Kafka may fail a read meanwhile ("Exhausted max retries for read state
     * summary RPC", a TimeoutException to the Admin): such a failure is read again, and shown only if it is still
     * the answer at the deadline.
     */
    private static String awaitLags(Admin admin, String group, Predicate<Map<String, String>> done)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "none";
        while (System.currentTimeMillis() < deadline) {
            try {
                Map<String, String> lags = lags(admin, group);
                last = lags.toString();
                if (done.test(lags)) {
                    break;
                }
            } catch (Exception e) {
                last = "error " + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName();
            }
            Thread.sleep(200);
        }
        return last;
    }

    /** Waits until the broker's metadata no longer shows {@code topic} (Kafka deletes a moment after answering). */
    private static void awaitGone(Admin admin, String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(topic + " still listed 30 s after its deletion");
            }
            Thread.sleep(100);
        }
    }

    /** Creates {@code topic} again, retrying while the broker still finishes deleting its namesake. */
    private static void recreate(Admin admin, String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                Differential.createTopic(admin, topic, 1);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)
                        || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void earliest(Admin admin, String group) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                        AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }

    private static ConsumerRecord<byte[], byte[]> pollOne(KafkaShareConsumer<byte[], byte[]> consumer) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                return record;
            }
        }
        throw new AssertionError("no record within " + DEADLINE_MS + " ms");
    }

    /** The simple name of what the consumer's polls throw within the deadline. */
    private static String pollUntilThrown(KafkaShareConsumer<byte[], byte[]> consumer) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        try {
            while (System.currentTimeMillis() < deadline) {
                consumer.poll(POLL);
            }
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
        return "nothing thrown";
    }

    private static KafkaShareConsumer<byte[], byte[]> shareConsumer(ChildBroker broker, String group) {
        return shareConsumer(broker, group, "explicit");
    }

    private static KafkaShareConsumer<byte[], byte[]> shareConsumer(ChildBroker broker, String group, String mode) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, mode);
        return new KafkaShareConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static ShareGroupDescription describe(Admin admin, String group) throws Exception {
        return admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }
}
