package io.tributary.kafka;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed input over a raw socket: the offending connection is closed with one log line saying
 * why, and a new connection is served normally.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputIT {
    @TempDir
    static Path dir;
    static TestBroker broker;
    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.tributary.kafka.network")).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger("io.tributary.kafka.network")).detachAppender(logs);
    }

    @Test
    void frameLargerThanTheLimitClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            // When a frame announces more than socket.request.max.bytes
            client.send(ByteBuffer.allocate(4).putInt(TestBroker.MAX_REQUEST_BYTES + 1).array());

            // Then the connection is closed and the log says why
            assertThat(client.closedByServer()).isTrue();
        }
        awaitLog("request frame of " + (TestBroker.MAX_REQUEST_BYTES + 1) + " bytes is outside [0, "
                + TestBroker.MAX_REQUEST_BYTES + "]");
        assertNewConnectionWorks();
    }

    @Test
    void negativeFrameSizeClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(ByteBuffer.allocate(4).putInt(-7).array());
            assertThat(client.closedByServer()).isTrue();
        }
        awaitLog("request frame of -7 bytes");
        assertNewConnectionWorks();
    }

    @Test
    void truncatedFrameThenCloseIsLogged() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            // When a client sends half a frame and hangs up
            ByteBuffer frame = TestFrames.request(ApiKeys.METADATA, (short) 12, new MetadataRequestData(), 1);
            byte[] half = new byte[frame.remaining() / 2];
            frame.get(half);
            client.send(half);
        }
        // Then the server logs the incomplete frame
        awaitLog("closed in the middle of a request frame");
        assertNewConnectionWorks();
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(TestFrames.rawRequest((short) 4242, (short) 0, 5, new byte[0]));
            assertThat(client.closedByServer()).isTrue();
        }
        awaitLog("unknown api key 4242");
        assertNewConnectionWorks();
    }

    @Test
    void knownApiKeyAtUnsupportedVersionClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            // Produce v2 is advertised (for librdkafka) but refused, as Kafka 4 does
            client.send(TestFrames.rawRequest(ApiKeys.PRODUCE.id, (short) 2, 6, new byte[] {0, 1, 0, 0, 0, 0, 0, 0}));
            assertThat(client.closedByServer()).isTrue();
        }
        awaitLog("unsupported Produce version 2");
        assertNewConnectionWorks();
    }

    @Test
    void garbageBodyClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            // A Metadata v4 header followed by a topic array claiming 1 000 000 entries and nothing else
            client.send(TestFrames.rawRequest(ApiKeys.METADATA.id, (short) 4, 7, new byte[] {0, 0x0F, 0x42, 0x40}));
            assertThat(client.closedByServer()).isTrue();
        }
        awaitLog("bad body of Metadata v4 (api key 3)");
        assertNewConnectionWorks();
    }

    @Test
    void tooNewApiVersionsGetsVersionZeroAnswerWithTheSupportedRange() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            // When a client asks ApiVersions at a version from the future
            ByteBuffer frame = TestFrames.request(ApiKeys.API_VERSIONS, (short) 5, new ApiVersionsRequestData(), 9);
            frame.putShort(6, (short) 77);
            client.send(frame);

            // Then the answer is a v0 response (header v0) with UNSUPPORTED_VERSION and the ranges
            ByteBuffer response = client.readFrame();
            ResponseHeader header = ResponseHeader.parse(response, (short) 0);
            ApiVersionsResponseData data = new ApiVersionsResponseData(new ByteBufferAccessor(response), (short) 0);
            assertThat(header.correlationId()).isEqualTo(9);
            assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(data.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 5);
        }
    }

    @Test
    void acksZeroProduceToUnknownTopicClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            ProduceRequestData produce = new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000);
            produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("no-such-topic")
                    .setPartitionData(java.util.List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                            .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.EMPTY))));
            client.send(TestFrames.request(ApiKeys.PRODUCE, (short) 9, produce, 10));
            assertThat(client.closedByServer()).isTrue();
        }
        awaitLog("acks=0 produce failed: no-such-topic-0 UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void clientVanishingMidFetchLeavesTheLogReadable() throws Exception {
        // Given three ~900 KB batches
        String topic = "mid-write";
        broker.log().createTopic(topic, 1, java.util.Map.of());
        try (RawClient producer = new RawClient(broker.port())) {
            for (int i = 0; i < 3; i++) {
                org.apache.kafka.common.message.ProduceRequestData produce = new ProduceRequestData()
                        .setAcks((short) -1).setTimeoutMs(5000);
                produce.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic)
                        .setPartitionData(java.util.List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                                .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.withRecords(
                                        org.apache.kafka.common.compress.Compression.NONE,
                                        new org.apache.kafka.common.record.internal.SimpleRecord(new byte[900_000]))))));
                producer.send(TestFrames.request(ApiKeys.PRODUCE, (short) 9, produce, 100 + i));
                producer.readFrame();
            }
        }

        // When a client asks for all of it, reads a few bytes of the zero-copy response and resets the connection
        try (RawClient reader = new RawClient(broker.port())) {
            reader.send(fetchAll(topic, 200));
            reader.readPrefix(100);
            reader.abort();
        }

        // Then a new connection still gets all three batches, so the aborted file regions did not close the segment
        try (RawClient reader = new RawClient(broker.port())) {
            reader.send(fetchAll(topic, 201));
            ByteBuffer response = reader.readFrame();
            ResponseHeader.parse(response, ApiKeys.FETCH.responseHeaderVersion((short) 12));
            org.apache.kafka.common.message.FetchResponseData data = new org.apache.kafka.common.message.FetchResponseData(
                    new ByteBufferAccessor(response), (short) 12);
            int batches = 0;
            for (var batch : ((org.apache.kafka.common.record.internal.MemoryRecords)
                    data.responses().get(0).partitions().get(0).records()).batches()) {
                batch.ensureValid();
                batches++;
            }
            assertThat(batches).isEqualTo(3);
        }
    }

    private static ByteBuffer fetchAll(String topic, int correlationId) {
        org.apache.kafka.common.message.FetchRequestData fetch = new org.apache.kafka.common.message.FetchRequestData()
                .setMaxWaitMs(0).setMinBytes(1).setMaxBytes(50 << 20).setReplicaId(-1);
        fetch.topics().add(new org.apache.kafka.common.message.FetchRequestData.FetchTopic().setTopic(topic)
                .setPartitions(java.util.List.of(new org.apache.kafka.common.message.FetchRequestData.FetchPartition()
                        .setPartition(0).setFetchOffset(0).setPartitionMaxBytes(50 << 20))));
        return TestFrames.request(ApiKeys.FETCH, (short) 12, fetch, correlationId);
    }

    private void assertNewConnectionWorks() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(TestFrames.request(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                    .setClientSoftwareName("raw").setClientSoftwareVersion("1"), 42));
            ByteBuffer response = client.readFrame();
            assertThat(ResponseHeader.parse(response, (short) 0).correlationId()).isEqualTo(42);
            ApiVersionsResponseData data = new ApiVersionsResponseData(new ByteBufferAccessor(response), (short) 3);
            assertThat(data.errorCode()).isZero();
            assertThat(data.apiKeys()).hasSameSizeAs(io.tributary.kafka.api.SupportedApis.toApiVersions());
        }
    }

    private void awaitLog(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // a loaded 2-core machine can take seconds to run the close
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
