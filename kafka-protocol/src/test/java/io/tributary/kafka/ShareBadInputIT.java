package io.tributary.kafka;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.delivery.share.ShareConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad share-group input over a raw connection (kafka-clients' own request and response classes): acknowledging a
 * record the member has not acquired, an offset outside the in-flight window, a stale member epoch, an unknown
 * group and an unknown member each get Kafka's error code and a log line; malformed acknowledgement batches
 * are refused INVALID_REQUEST with none of the partition's batches applied; and the records involved are not
 * stuck: the member holding them can still acknowledge them, or they are delivered again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareBadInputIT {
    private static final String TOPIC = "bad-share-input";
    private static final short FETCH_V = 2;
    private static final short ACK_V = 2;
    private static final short HEARTBEAT_V = 1;
    private static final byte ACCEPT = 1;
    private static final byte RELEASE = 2;
    private static final long DEADLINE_MS = 60_000;

    @TempDir
    static Path dir;
    static TestBroker broker;
    static Uuid topicId;
    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(dir, ShareConfig.defaults().withAutoOffsetReset(ShareConfig.OffsetReset.EARLIEST));
        var topic = broker.log().createTopic(TOPIC, 1, Map.of());
        topicId = new Uuid(topic.id().getMostSignificantBits(), topic.id().getLeastSignificantBits());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 50), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.tributary.kafka.share")).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger("io.tributary.kafka.share")).detachAppender(logs);
    }

    @Test
    void badAcknowledgementsGetInvalidRecordStateAndLeaveTheRecordsWithTheirHolder() throws Exception {
        String group = "bad-acks";
        try (RawClient holderConnection = new RawClient(broker.port());
             RawClient otherConnection = new RawClient(broker.port())) {
            // Given member A holding every record of the partition, and member B holding none
            Member a = join(holderConnection, group);
            Member b = join(otherConnection, group);
            List<long[]> acquired = fetchUntilAcquired(a);
            long first = acquired.get(0)[0];
            long last = acquired.get(acquired.size() - 1)[1];
            assertThat(first).isZero();
            ShareFetchResponseData empty = fetch(b, List.of());
            assertThat(empty.errorCode()).isEqualTo(Errors.NONE.code());

            // When B acknowledges a record A holds, Then INVALID_RECORD_STATE and a log line
            assertThat(acknowledge(b, first, first, ACCEPT)).isEqualTo(Errors.INVALID_RECORD_STATE);
            awaitLog("member " + b.id + ": acknowledgement of " + TOPIC + "-0 offsets [" + first + "-" + first
                    + "] refused, none applied: INVALID_RECORD_STATE");

            // When A acknowledges offsets past the end of the in-flight window (just past, far past the log end),
            // Then INVALID_REQUEST, as Kafka answers offsets "past acquired records"
            assertThat(acknowledge(a, last + 1, last + 1, ACCEPT)).isEqualTo(Errors.INVALID_REQUEST);
            assertThat(acknowledge(a, 1_000_000, 1_000_005, ACCEPT)).isEqualTo(Errors.INVALID_REQUEST);
            awaitLog("offsets [1000000-1000005] refused, none applied: INVALID_REQUEST");

            // Then A's records are not stuck: A accepts the first and releases the rest
            assertThat(acknowledge(a, first, first, ACCEPT)).isEqualTo(Errors.NONE);
            // And acknowledging the accepted record again, now below the start offset, is answered NONE and
            // changes nothing, as Kafka 4.4 answers it
            assertThat(acknowledge(a, first, first, ACCEPT)).isEqualTo(Errors.NONE);
            if (last > first) {
                assertThat(acknowledge(a, first + 1, last, RELEASE)).isEqualTo(Errors.NONE);
                // And B gets the released ones
                List<long[]> redelivered = fetchUntilAcquired(b);
                assertThat(redelivered.get(0)[0]).isEqualTo(first + 1);
                assertThat(acknowledge(b, first + 1, redelivered.get(redelivered.size() - 1)[1], ACCEPT))
                        .isEqualTo(Errors.NONE);
            }
        }
    }

    @Test
    void malformedAcknowledgementBatchesAreRefusedWholeAndNoneOfThemIsApplied() throws Exception {
        try (RawClient connection = new RawClient(broker.port())) {
            // Given a member holding the partition's first records
            Member a = join(connection, "malformed-acks");
            long first = fetchUntilAcquired(a).get(0)[0];
            ShareAcknowledgeRequestData.AcknowledgementBatch accept = ackBatch(first, first, ACCEPT);
            List<ShareAcknowledgeRequestData.AcknowledgementBatch> malformed = List.of(
                    ackBatch(first + 3, first + 1, ACCEPT),
                    ackBatch(first + 1, first + 2, ACCEPT, RELEASE, ACCEPT),
                    ackBatch(first + 1, first + 1, (byte) 9),
                    ackBatch(first + 1, first + 1));

            // When it acknowledges its first record beside a malformed batch, Then INVALID_REQUEST, as Kafka
            for (ShareAcknowledgeRequestData.AcknowledgementBatch bad : malformed) {
                assertThat(acknowledge(a, List.of(accept, bad))).as("%s", bad).isEqualTo(Errors.INVALID_REQUEST);
            }
            awaitLog("member " + a.id + ": acknowledgement of " + TOPIC + "-0 refused: INVALID_REQUEST");
            // And the same piggy-backed on a fetch, whose own answer is unharmed
            ShareFetchResponseData fetched = fetch(a, List.of(new ShareFetchRequestData.AcknowledgementBatch()
                    .setFirstOffset(first).setLastOffset(first).setAcknowledgeTypes(List.of(ACCEPT)),
                    new ShareFetchRequestData.AcknowledgementBatch().setFirstOffset(first + 2)
                            .setLastOffset(first + 1).setAcknowledgeTypes(List.of(ACCEPT))));
            ShareFetchResponseData.PartitionData partition = fetched.responses().iterator().next().partitions().get(0);
            assertThat(partition.acknowledgeErrorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());

            // Then none of the valid batches was applied: the record is still the member's to accept
            assertThat(acknowledge(a, List.of(accept))).isEqualTo(Errors.NONE);
        }
    }

    @Test
    void aStaleMemberEpochIsFencedAndLogged() throws Exception {
        try (RawClient connection = new RawClient(broker.port())) {
            Member m = join(connection, "bad-epoch");

            // When the member heartbeats with an epoch the group did not give it
            ShareGroupHeartbeatResponseData response = heartbeat(connection, "bad-epoch", m.id, m.memberEpoch + 7);

            // Then FENCED_MEMBER_EPOCH and a log line
            assertThat(response.errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
            awaitLog("Share group bad-epoch member " + m.id + ": heartbeat refused: FENCED_MEMBER_EPOCH");

            // And a heartbeat with its own epoch still works
            assertThat(heartbeat(connection, "bad-epoch", m.id, m.memberEpoch).errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void anUnknownGroupOrMemberIsRefusedAndLogged() throws Exception {
        try (RawClient connection = new RawClient(broker.port())) {
            // When an unknown share group is described, Then GROUP_ID_NOT_FOUND
            ShareGroupDescribeResponseData describe = (ShareGroupDescribeResponseData) connection.call(
                    ApiKeys.SHARE_GROUP_DESCRIBE, (short) 1,
                    new ShareGroupDescribeRequestData().setGroupIds(List.of("no-such-share-group")));
            assertThat(describe.groups().get(0).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());

            // When a member that never joined heartbeats with a non-zero epoch, Then UNKNOWN_MEMBER_ID and a log line
            String stranger = Uuid.randomUuid().toString();
            assertThat(heartbeat(connection, "no-such-share-group", stranger, 3).errorCode())
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
            awaitLog("Share group no-such-share-group member " + stranger + ": heartbeat refused: UNKNOWN_MEMBER_ID");

            // When it fetches from a group it is not in, Then UNKNOWN_MEMBER_ID and a log line
            Member ghost = new Member(connection, "no-such-share-group", stranger, 0);
            ShareFetchResponseData fetch = fetch(ghost, List.of());
            assertThat(fetch.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
            awaitLog("Share group no-such-share-group member " + stranger + ": ShareFetch refused: UNKNOWN_MEMBER_ID");

            // When it acknowledges without a share session, Then SHARE_SESSION_NOT_FOUND and a log line
            ghost.sessionEpoch = 1;
            ShareAcknowledgeResponseData ack = (ShareAcknowledgeResponseData) connection.call(ApiKeys.SHARE_ACKNOWLEDGE,
                    ACK_V, ackRequest(ghost, 0, 0, ACCEPT));
            assertThat(ack.errorCode()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND.code());
            awaitLog("Share group no-such-share-group member " + stranger
                    + ": ShareAcknowledge refused: SHARE_SESSION_NOT_FOUND");
        }
    }

    private static final class Member {
        final RawClient connection;
        final String group;
        final String id;
        final int memberEpoch;
        int sessionEpoch;

        Member(RawClient connection, String group, String id, int memberEpoch) {
            this.connection = connection;
            this.group = group;
            this.id = id;
            this.memberEpoch = memberEpoch;
        }
    }

    private static Member join(RawClient connection, String group) throws Exception {
        String id = Uuid.randomUuid().toString();
        ShareGroupHeartbeatResponseData response = heartbeat(connection, group, id, 0);
        assertThat(response.errorCode()).as("join: %s", response.errorMessage()).isEqualTo(Errors.NONE.code());
        assertThat(response.memberEpoch()).isPositive();
        return new Member(connection, group, id, response.memberEpoch());
    }

    private static ShareGroupHeartbeatResponseData heartbeat(RawClient connection, String group, String member,
                                                             int epoch) throws Exception {
        ShareGroupHeartbeatRequestData request = new ShareGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId(member).setMemberEpoch(epoch);
        if (epoch == 0) {
            request.setSubscribedTopicNames(List.of(TOPIC));
        }
        return (ShareGroupHeartbeatResponseData) connection.call(ApiKeys.SHARE_GROUP_HEARTBEAT, HEARTBEAT_V, request);
    }

    /** One ShareFetch of the partition in the member's session (opened by the first), with acknowledgements. */
    private static ShareFetchResponseData fetch(Member m, List<ShareFetchRequestData.AcknowledgementBatch> acks)
            throws Exception {
        ShareFetchRequestData.FetchTopic topic = new ShareFetchRequestData.FetchTopic().setTopicId(topicId);
        topic.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0)
                .setAcknowledgementBatches(acks));
        ShareFetchRequestData request = new ShareFetchRequestData().setGroupId(m.group).setMemberId(m.id)
                .setShareSessionEpoch(m.sessionEpoch).setMaxWaitMs(200).setMinBytes(1).setMaxBytes(1 << 20)
                .setMaxRecords(500).setBatchSize(500);
        request.topics().add(topic);
        ShareFetchResponseData response = (ShareFetchResponseData) m.connection.call(ApiKeys.SHARE_FETCH, FETCH_V,
                request);
        if (response.errorCode() == Errors.NONE.code()) {
            m.sessionEpoch++;
        }
        return response;
    }

    private static List<long[]> fetchUntilAcquired(Member m) throws Exception {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (true) {
            assertThat(System.currentTimeMillis()).as("records acquired in time").isLessThan(deadline);
            ShareFetchResponseData response = fetch(m, List.of());
            assertThat(response.errorCode()).as("fetch: %s", response.errorMessage()).isEqualTo(Errors.NONE.code());
            List<long[]> ranges = new ArrayList<>();
            for (ShareFetchResponseData.ShareFetchableTopicResponse t : response.responses()) {
                for (ShareFetchResponseData.PartitionData p : t.partitions()) {
                    assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
                    p.acquiredRecords().forEach(r -> ranges.add(new long[] {r.firstOffset(), r.lastOffset()}));
                }
            }
            if (!ranges.isEmpty()) {
                return ranges;
            }
        }
    }

    private static ShareAcknowledgeRequestData ackRequest(Member m, long first, long last, byte type) {
        return ackRequest(m, List.of(ackBatch(first, last, type)));
    }

    private static ShareAcknowledgeRequestData.AcknowledgementBatch ackBatch(long first, long last, byte... types) {
        List<Byte> boxed = new ArrayList<>();
        for (byte type : types) {
            boxed.add(type);
        }
        return new ShareAcknowledgeRequestData.AcknowledgementBatch().setFirstOffset(first).setLastOffset(last)
                .setAcknowledgeTypes(boxed);
    }

    private static ShareAcknowledgeRequestData ackRequest(Member m,
                                                          List<ShareAcknowledgeRequestData.AcknowledgementBatch> batches) {
        ShareAcknowledgeRequestData.AcknowledgeTopic topic = new ShareAcknowledgeRequestData.AcknowledgeTopic()
                .setTopicId(topicId);
        topic.partitions().add(new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0)
                .setAcknowledgementBatches(batches));
        ShareAcknowledgeRequestData request = new ShareAcknowledgeRequestData().setGroupId(m.group)
                .setMemberId(m.id).setShareSessionEpoch(m.sessionEpoch);
        request.topics().add(topic);
        return request;
    }

    /** ShareAcknowledge of one range of one type; returns the partition's error. */
    private static Errors acknowledge(Member m, long first, long last, byte type) throws Exception {
        return acknowledge(m, List.of(ackBatch(first, last, type)));
    }

    /** ShareAcknowledge of {@code batches} of the partition; returns the partition's error. */
    private static Errors acknowledge(Member m, List<ShareAcknowledgeRequestData.AcknowledgementBatch> batches)
            throws Exception {
        ShareAcknowledgeResponseData response = (ShareAcknowledgeResponseData) m.connection.call(
                ApiKeys.SHARE_ACKNOWLEDGE, ACK_V, ackRequest(m, batches));
        assertThat(response.errorCode()).as("acknowledge: %s", response.errorMessage()).isEqualTo(Errors.NONE.code());
        m.sessionEpoch++;
        return Errors.forCode(response.responses().iterator().next().partitions().get(0).errorCode());
    }

    private void awaitLog(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            synchronized (logs) {
                if (logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(fragment))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains(fragment));
    }
}
