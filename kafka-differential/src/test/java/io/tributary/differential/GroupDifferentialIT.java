package io.tributary.differential;

import static io.tributary.differential.Consumers.consumer;
import static io.tributary.differential.Consumers.pollUntilAssigned;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups of both protocols (classic and consumer): membership errors, states, assignments, static
 * members, group administration and the topic-id versions of OffsetCommit and OffsetFetch (v10, sent raw:
 * the KIP-848 consumer only sends ids it knows) must be Kafka's on both brokers.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GroupDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(60)
    void adminAlterOffsetsOfUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.alterConsumerGroupOffsets("g-unknown-topic",
                        Map.of(new TopicPartition("never-created", 0), new OffsetAndMetadata(1))).all().get()));
    }

    @Test
    @Timeout(60)
    void listOffsetsOfUnknownGroupIsEmpty() {
        differential("ok {}", (b, admin) -> Outcome.of(() ->
                admin.listConsumerGroupOffsets("never-joined-offsets").partitionsToOffsetAndMetadata().get()));
    }

    @Test
    @Timeout(60)
    void deleteOffsetsOfGroupWithoutThem() {
        differential("ok deleted", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "offset-delete", 1);
            TopicPartition tp = new TopicPartition("offset-delete", 0);
            admin.alterConsumerGroupOffsets("g-offset-delete", Map.of(tp, new OffsetAndMetadata(0))).all().get();
            admin.deleteConsumerGroupOffsets("g-offset-delete", java.util.Set.of(tp)).all().get();
            return "deleted";
        }));
    }

    @Test
    @Timeout(60)
    void describeUnknownGroup() {
        differential("error GroupIdNotFoundException", (b, admin) -> Outcome.of(() ->
                describe(admin, "never-joined").state()));
    }

    @Test
    @Timeout(60)
    void deleteUnknownGroup() {
        differential("error GroupIdNotFoundException", (b, admin) -> Outcome.of(() ->
                admin.deleteConsumerGroups(List.of("never-joined")).all().get()));
    }

    @Test
    @Timeout(60)
    void deleteGroupWithOnlyCommittedOffsets() {
        differential("ok deleted, offsets now {}", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "empty-group", 1);
            TopicPartition tp = new TopicPartition("empty-group", 0);
            admin.alterConsumerGroupOffsets("g-empty", Map.of(tp, new OffsetAndMetadata(0))).all().get();
            admin.deleteConsumerGroups(List.of("g-empty")).all().get();
            return "deleted, offsets now "
                    + admin.listConsumerGroupOffsets("g-empty").partitionsToOffsetAndMetadata().get();
        }));
    }

    @Test
    @Timeout(60)
    void classicSessionTimeoutBelowBrokerMinimum() {
        differential("error InvalidSessionTimeoutException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "short-session", 1);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-short-session", "earliest",
                    Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "1000",
                            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300"))) {
                consumer.subscribe(List.of("short-session"));
                return pollUntilAssigned(consumer);
            }
        }));
    }

    @Test
    @Timeout(60)
    void classicMembersWithNoCommonAssignor() {
        differential("error InconsistentGroupProtocolException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "no-common-assignor", 2);
            try (PollingMembers first = new PollingMembers(b, "g-no-common", "classic", "no-common-assignor", 1,
                    Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName()))) {
                first.awaitAssigned();
                try (KafkaConsumer<byte[], byte[]> second = consumer(b, "g-no-common", "earliest",
                        Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                                RoundRobinAssignor.class.getName()))) {
                    second.subscribe(List.of("no-common-assignor"));
                    return pollUntilAssigned(second);
                }
            }
        }));
    }

    @Test
    @Timeout(60)
    void consumerProtocolWithUnknownServerAssignor() {
        differential("error UnsupportedAssignorException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "unknown-assignor", 1);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-unknown-assignor", "earliest",
                    Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                            ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "no-such-assignor"))) {
                consumer.subscribe(List.of("unknown-assignor"));
                return pollUntilAssigned(consumer);
            }
        }));
    }

    @Test
    @Timeout(60)
    void classicCommitAfterPollIntervalExpired() {
        commitAfterPollIntervalExpired("classic", "error CommitFailedException");
    }

    @Test
    @Timeout(60)
    void consumerProtocolCommitAfterPollIntervalExpired() {
        // having left, the client commits as a non-member (epoch -1), which an empty group accepts
        commitAfterPollIntervalExpired("consumer", "ok committed with assignment []");
    }

    private static void commitAfterPollIntervalExpired(String protocol, String expected) {
        differential(expected, (b, admin) -> Outcome.of(() -> {
            String topic = "stale-commit-" + protocol;
            Differential.createTopic(admin, topic, 1);
            Differential.produce(b, topic, 2);
            TopicPartition tp = new TopicPartition(topic, 0);
            Map<String, String> config = new java.util.HashMap<>(Map.of(
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                    ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "1500"));
            if (protocol.equals("classic")) {
                config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "200");
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-stale-" + protocol, "earliest", config)) {
                consumer.subscribe(List.of(topic));
                pollUntilAssigned(consumer);
                // not polling for longer than max.poll.interval.ms: the client leaves the group
                Thread.sleep(3000);
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));
                return "committed with assignment " + consumer.assignment();
            }
        }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(90)
    void staticMemberWithTakenInstanceId(String protocol) {
        // classic: the second member takes over the instance id and the first is fenced on its next heartbeat;
        // consumer protocol: the id is not released, so the second member is refused and the first keeps going
        String topic = "static-" + protocol;
        String expected = protocol.equals("classic")
                ? "ok first=assigned [" + topic + "-0] second=ok assigned [" + topic + "-0]"
                        + " firstAgain=error FencedInstanceIdException"
                : "ok first=assigned [" + topic + "-0] second=error UnreleasedInstanceIdException"
                        + " firstAgain=ok assigned [" + topic + "-0]";
        differential(expected, (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, topic, 1);
            Map<String, String> config = new java.util.HashMap<>(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                    protocol, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-1"));
            if (protocol.equals("classic")) {
                config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
            }
            try (KafkaConsumer<byte[], byte[]> first = consumer(b, "g-static-" + protocol, "earliest", config);
                 KafkaConsumer<byte[], byte[]> second = consumer(b, "g-static-" + protocol, "earliest", config)) {
                first.subscribe(List.of(topic));
                String firstJoin = pollUntilAssigned(first);
                second.subscribe(List.of(topic));
                String secondJoin = Outcome.of(() -> pollUntilAssigned(second));
                String firstAgain = Outcome.of(() -> {
                    // long enough for several heartbeats, which carry the fencing
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    while (System.nanoTime() < deadline) {
                        first.poll(Duration.ofMillis(200));
                    }
                    return pollUntilAssigned(first);
                });
                return "first=" + firstJoin + " second=" + secondJoin + " firstAgain=" + firstAgain;
            }
        }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(60)
    void groupIsEmptyAfterItsOnlyMemberLeaves(String protocol) {
        String type = protocol.equals("classic") ? "Classic" : "Consumer";
        differential("ok state=Empty type=" + type + " members=0 committed={leave-" + protocol
                        + "-0=OffsetAndMetadata{offset=1, leaderEpoch=null, metadata=''}}",
                (b, admin) -> Outcome.of(() -> {
                    String topic = "leave-" + protocol;
                    String group = "g-leave-" + protocol;
                    Differential.createTopic(admin, topic, 1);
                    Differential.produce(b, topic, 1);
                    try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, group, "earliest",
                            Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol))) {
                        consumer.subscribe(List.of(topic));
                        pollUntilAssigned(consumer);
                        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
                    }
                    ConsumerGroupDescription description = describe(admin, group);
                    return "state=" + description.groupState() + " type=" + description.type() + " members="
                            + description.members().size() + " committed="
                            + admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(60)
    void listGroupsShowsTypeProtocolAndState(String protocol) {
        String type = protocol.equals("classic") ? "Classic" : "Consumer";
        differential("ok type=" + type + " protocol=consumer state=Stable", (b, admin) -> Outcome.of(() -> {
            String topic = "listed-" + protocol;
            String group = "g-listed-" + protocol;
            Differential.createTopic(admin, topic, 1);
            try (PollingMembers members = new PollingMembers(b, group, protocol, topic, 1)) {
                members.awaitAssigned();
                GroupListing listing = admin.listGroups().all().get().stream()
                        .filter(g -> g.groupId().equals(group)).findFirst().orElseThrow();
                return "type=" + listing.type().map(Object::toString).orElse("none")
                        + " protocol=" + listing.protocol()
                        + " state=" + listing.groupState().map(Object::toString).orElse("none");
            }
        }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(90)
    void twoMembersShareThePartitionsAndTheGroupCannotBeDeleted(String protocol) {
        String type = protocol.equals("classic") ? "Classic" : "Consumer";
        String assignor = protocol.equals("classic") ? "range" : "uniform";
        differential("ok state=Stable type=" + type + " assignor=" + assignor
                        + " members=2 partitions=[0, 1, 2, 3] sizes=[2, 2] delete=error GroupNotEmptyException",
                (b, admin) -> Outcome.of(() -> {
                    String topic = "shared-" + protocol;
                    String group = "g-shared-" + protocol;
                    Differential.createTopic(admin, topic, 4);
                    try (PollingMembers members = new PollingMembers(b, group, protocol, topic, 2)) {
                        String shape = "";
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                        while (System.nanoTime() < deadline) {
                            // the group does not exist until the first member's join reaches the coordinator
                            shape = Outcome.of(() -> shape(describe(admin, group))).replaceFirst("^ok ", "");
                            if (shape.startsWith("state=Stable") && shape.contains("sizes=[2, 2]")) {
                                break;
                            }
                            Thread.sleep(200);
                        }
                        String delete = Outcome.of(() -> admin.deleteConsumerGroups(List.of(group)).all().get());
                        return shape + " delete=" + delete;
                    }
                }));
    }

    @Test
    @Timeout(60)
    void offsetCommitAndFetchOfUnknownTopicId() {
        differential("ok commit=[UNKNOWN_TOPIC_ID] fetch=[-1 UNKNOWN_TOPIC_ID] all=[]", (b, admin) -> Outcome.of(() -> {
            String group = "g-unknown-id";
            awaitCoordinator(admin, group);
            Uuid unknown = Uuid.randomUuid();
            try (RawRequests raw = new RawRequests(b.bootstrapServers())) {
                return "commit=" + commitById(raw, group, "", -1, unknown) + " fetch="
                        + fetchById(raw, group, null, -1, unknown) + " all=" + fetchById(raw, group, null, -1, null);
            }
        }));
    }

    @Test
    @Timeout(60)
    void offsetCommitAndFetchByIdOfDeletedTopic() {
        differential("ok before=[NONE] commit=[UNKNOWN_TOPIC_ID] byName=[UNKNOWN_TOPIC_OR_PARTITION]"
                        + " fetch=[-1 UNKNOWN_TOPIC_ID] all=[] listed={}",
                (b, admin) -> Outcome.of(() -> {
                    String topic = "deleted-by-id";
                    String group = "g-deleted-by-id";
                    Uuid id = Differential.createTopic(admin, new NewTopic(topic, 1, (short) 1)).topicId(topic).get();
                    awaitCoordinator(admin, group);
                    try (RawRequests raw = new RawRequests(b.bootstrapServers())) {
                        String before = commitById(raw, group, "", -1, id);
                        admin.deleteTopics(List.of(topic)).all().get();
                        awaitGone(admin, topic);
                        return "before=" + before + " commit=" + commitById(raw, group, "", -1, id)
                                + " byName=" + commitByName(raw, (short) 9, group, "", -1, topic)
                                + " fetch=" + fetchById(raw, group, null, -1, id)
                                + " all=" + fetchById(raw, group, null, -1, null)
                                + " listed=" + awaitNoOffsets(admin, group);
                    }
                }));
    }

    @Test
    @Timeout(90)
    void offsetCommitAndFetchOfAMemberWithWrongEpochOrVersion() {
        differential("ok commit=[STALE_MEMBER_EPOCH] fetch=STALE_MEMBER_EPOCH unknownMember=[UNKNOWN_MEMBER_ID]"
                        + " v8=[UNSUPPORTED_VERSION] current=[NONE] fetched=[1 NONE]",
                (b, admin) -> Outcome.of(() -> {
                    String topic = "epoch-by-id";
                    String group = "g-epoch-by-id";
                    Uuid id = Differential.createTopic(admin, new NewTopic(topic, 1, (short) 1)).topicId(topic).get();
                    Differential.produce(b, topic, 2);
                    try (PollingMembers members = new PollingMembers(b, group, "consumer", topic, 1);
                         RawRequests raw = new RawRequests(b.bootstrapServers())) {
                        members.awaitAssigned();
                        MemberDescription member = describe(admin, group).members().iterator().next();
                        int epoch = member.memberEpoch().orElseThrow();
                        String memberId = member.consumerId();
                        return "commit=" + commitById(raw, group, memberId, epoch + 1, id)
                                + " fetch=" + fetchGroupError(raw, group, memberId, epoch + 1, id)
                                + " unknownMember=" + commitById(raw, group, "no-such-member", epoch, id)
                                + " v8=" + commitByName(raw, (short) 8, group, memberId, epoch, topic)
                                + " current=" + commitById(raw, group, memberId, epoch, id)
                                + " fetched=" + fetchById(raw, group, memberId, epoch, id);
                    }
                }));
    }

    /**
     * KIP-1251: a member's commit with an older epoch is accepted for each partition it has held since that
     * epoch (the auto-commit in flight while a heartbeat bumps the epoch), and refused for a partition it gave
     * up or got later; the current epoch is accepted for any partition, a fetch only at the current epoch.
     * Driven by raw heartbeats so that every epoch bump is the scenario's own.
     */
    @Test
    @Timeout(120)
    void offsetCommitWithAnOlderEpochChecksEachPartitionsAssignmentEpoch() {
        differential("ok revoked=1 keptAtFirst=[NONE] givenAtFirst=[STALE_MEMBER_EPOCH] givenAtSecond=[NONE]"
                        + " fetchAtFirst=STALE_MEMBER_EPOCH back=2 keptAtFirstTwoBumpsOld=[NONE]"
                        + " givenAtSecond=[STALE_MEMBER_EPOCH] givenAtThird=[NONE] newer=[STALE_MEMBER_EPOCH]",
                (b, admin) -> Outcome.of(() -> {
                    String topic = "assignment-epoch";
                    String group = "g-assignment-epoch";
                    Uuid id = Differential.createTopic(admin, new NewTopic(topic, 2, (short) 1)).topicId(topic).get();
                    awaitCoordinator(admin, group);
                    try (RawRequests raw = new RawRequests(b.bootstrapServers())) {
                        RawMember a = new RawMember(raw, group, topic);
                        RawMember other = new RawMember(raw, group, topic);
                        a.heartbeatUntil(m -> m.owned.size() == 2);
                        int first = a.epoch;
                        other.heartbeatUntil(m -> m.epoch > 0);
                        a.heartbeatUntil(m -> m.owned.size() == 1);
                        int kept = a.owned.get(0);
                        int given = 1 - kept;
                        a.heartbeatUntil(m -> m.epoch > first);
                        int second = a.epoch;
                        String handedOver = "revoked=" + (2 - a.owned.size())
                                + " keptAtFirst=" + commitPartition(raw, group, a.memberId, first, id, kept)
                                + " givenAtFirst=" + commitPartition(raw, group, a.memberId, first, id, given)
                                + " givenAtSecond=" + commitPartition(raw, group, a.memberId, second, id, given)
                                + " fetchAtFirst=" + fetchGroupError(raw, group, a.memberId, first, id);
                        other.heartbeatUntil(m -> m.owned.size() == 1);
                        other.leave();
                        a.heartbeatUntil(m -> m.owned.size() == 2);
                        int third = a.epoch;
                        return handedOver + " back=" + a.owned.size()
                                + " keptAtFirstTwoBumpsOld=" + commitPartition(raw, group, a.memberId, first, id, kept)
                                + " givenAtSecond=" + commitPartition(raw, group, a.memberId, second, id, given)
                                + " givenAtThird=" + commitPartition(raw, group, a.memberId, third, id, given)
                                + " newer=" + commitPartition(raw, group, a.memberId, third + 1, id, given);
                    }
                }));
    }

    /** A KIP-848 member driven by raw ConsumerGroupHeartbeat v1 requests (a client-generated member id, KIP-1082). */
    private static final class RawMember {
        private final RawRequests raw;
        private final String group;
        private final String topic;
        final String memberId = Uuid.randomUuid().toString();
        int epoch;
        /** Partitions of the one subscribed topic, as the last response assigned them. */
        List<Integer> owned = List.of();
        private Uuid topicId;

        RawMember(RawRequests raw, String group, String topic) {
            this.raw = raw;
            this.group = group;
            this.topic = topic;
        }

        /** Heartbeats, owning what it was last given, until {@code done}; 30 s at most. */
        void heartbeatUntil(Predicate<RawMember> done) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                heartbeat();
                if (done.test(this)) {
                    return;
                }
                Thread.sleep(50);
            } while (System.nanoTime() < deadline);
            throw new IllegalStateException("member at epoch " + epoch + " owning " + owned + " after 30 s");
        }

        private void heartbeat() throws Exception {
            ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                    .setMemberId(memberId).setMemberEpoch(epoch).setRebalanceTimeoutMs(60_000);
            if (epoch == 0) {
                request.setSubscribedTopicNames(List.of(topic)).setTopicPartitions(List.of());
            } else if (topicId != null) {
                request.setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                        .setTopicId(topicId).setPartitions(owned)));
            } else {
                request.setTopicPartitions(List.of());
            }
            ConsumerGroupHeartbeatResponseData response = (ConsumerGroupHeartbeatResponseData) raw.send(
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1, request);
            if (response.errorCode() != Errors.NONE.code()) {
                throw new IllegalStateException("heartbeat: " + Errors.forCode(response.errorCode()));
            }
            epoch = response.memberEpoch();
            if (response.assignment() != null) {
                List<Integer> assigned = new ArrayList<>();
                for (ConsumerGroupHeartbeatResponseData.TopicPartitions tp : response.assignment().topicPartitions()) {
                    topicId = tp.topicId();
                    assigned.addAll(tp.partitions());
                }
                assigned.sort(null);
                owned = assigned;
            }
        }

        void leave() throws Exception {
            ConsumerGroupHeartbeatResponseData response = (ConsumerGroupHeartbeatResponseData) raw.send(
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1, new ConsumerGroupHeartbeatRequestData()
                            .setGroupId(group).setMemberId(memberId).setMemberEpoch(-1));
            if (response.errorCode() != Errors.NONE.code()) {
                throw new IllegalStateException("leave: " + Errors.forCode(response.errorCode()));
            }
        }
    }

    /** Waits until the group's coordinator answers (Kafka creates its offsets topic on the first lookup). */
    private static void awaitCoordinator(Admin admin, String group) throws Exception {
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    /**
     * The group's committed offsets as Admin lists them (OffsetFetch by name), once empty or after 15 s: Kafka's
     * coordinator drops a deleted topic's offsets a moment after the deletion.
     */
    private static Map<TopicPartition, OffsetAndMetadata> awaitNoOffsets(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        while (!offsets.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
        return offsets;
    }

    /** Waits until metadata no longer shows {@code topic} (Kafka's broker applies a deletion a moment later). */
    private static void awaitGone(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return;
                }
                throw e;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(topic + " still listed 30 s after its deletion");
    }

    /** OffsetCommit v10 of offset 1 for partition 0 of topic {@code id}: the partitions' errors. */
    private static String commitById(RawRequests raw, String group, String memberId, int epoch, Uuid id)
            throws Exception {
        return commitPartition(raw, group, memberId, epoch, id, 0);
    }

    /** OffsetCommit v10 of offset 1 for {@code partition} of topic {@code id}: the partitions' errors. */
    private static String commitPartition(RawRequests raw, String group, String memberId, int epoch, Uuid id,
                                          int partition) throws Exception {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(id)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition).setCommittedOffset(1))));
        return commitErrors((OffsetCommitResponseData) raw.send(ApiKeys.OFFSET_COMMIT, (short) 10, request));
    }

    /** OffsetCommit at {@code version} (up to 9) of offset 1 for partition 0 of {@code topic}: the errors. */
    private static String commitByName(RawRequests raw, short version, String group, String memberId, int epoch,
                                       String topic) throws Exception {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(1))));
        return commitErrors((OffsetCommitResponseData) raw.send(ApiKeys.OFFSET_COMMIT, version, request));
    }

    private static String commitErrors(OffsetCommitResponseData response) {
        return response.topics().stream().flatMap(t -> t.partitions().stream())
                .map(p -> Errors.forCode(p.errorCode()).name()).collect(Collectors.joining(", ", "[", "]"));
    }

    /** OffsetFetch v10 of partition 0 of topic {@code id} (every committed offset when null): "offset ERROR"s. */
    private static String fetchById(RawRequests raw, String group, String memberId, int epoch, Uuid id)
            throws Exception {
        OffsetFetchResponseData.OffsetFetchResponseGroup result = fetchGroup(raw, group, memberId, epoch, id);
        if (result.errorCode() != Errors.NONE.code()) {
            return "group " + Errors.forCode(result.errorCode()).name();
        }
        return result.topics().stream().flatMap(t -> t.partitions().stream())
                .map(p -> p.committedOffset() + " " + Errors.forCode(p.errorCode()).name())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String fetchGroupError(RawRequests raw, String group, String memberId, int epoch, Uuid id)
            throws Exception {
        return Errors.forCode(fetchGroup(raw, group, memberId, epoch, id).errorCode()).name();
    }

    private static OffsetFetchResponseData.OffsetFetchResponseGroup fetchGroup(RawRequests raw, String group,
                                                                               String memberId, int epoch, Uuid id)
            throws Exception {
        OffsetFetchRequestData.OffsetFetchRequestGroup request = new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(group).setMemberId(memberId).setMemberEpoch(epoch)
                .setTopics(id == null ? null : List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setTopicId(id).setPartitionIndexes(List.of(0))));
        OffsetFetchResponseData response = (OffsetFetchResponseData) raw.send(ApiKeys.OFFSET_FETCH, (short) 10,
                new OffsetFetchRequestData().setGroups(List.of(request)));
        return response.groups().get(0);
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
    }

    /** State, type, assignor, member count, the union of assigned partitions and the sorted per-member counts. */
    private static String shape(ConsumerGroupDescription description) {
        TreeSet<Integer> partitions = new TreeSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (MemberDescription member : description.members()) {
            Collection<TopicPartition> assigned = member.assignment().topicPartitions();
            assigned.forEach(tp -> partitions.add(tp.partition()));
            sizes.add(assigned.size());
        }
        sizes.sort(null);
        return "state=" + description.groupState() + " type=" + description.type()
                + " assignor=" + description.partitionAssignor() + " members=" + description.members().size()
                + " partitions=" + partitions + " sizes=" + sizes;
    }
}
