package io.tributary.kafka.api;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class MetadataHandlerTest {
    @TempDir
    Path dir;
    private LogManager log;
    private EventLoop loop;

    @BeforeEach
    void setUp() {
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        log.createTopic("existing", 2, Map.of());
        loop = new DefaultEventLoop();
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        log.close();
    }

    @Test
    void autoCreatesWhenTheBrokerAndTheRequestAllowIt() throws Exception {
        MetadataResponseData response = run(handler(true), (short) 12, request(true, "fresh"));
        MetadataResponseData.MetadataResponseTopic topic = response.topics().find("fresh");
        assertThat(topic.errorCode()).isZero();
        assertThat(topic.partitions()).hasSize(3);
        assertThat(topic.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(log.topic("fresh")).isPresent();
    }

    @Test
    void noAutoCreateWhenTheRequestOrTheBrokerForbidsIt() throws Exception {
        assertThat(run(handler(true), (short) 12, request(false, "x")).topics().find("x").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(run(handler(false), (short) 12, request(true, "y")).topics().find("y").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(log.topic("x")).isEmpty();
        assertThat(log.topic("y")).isEmpty();
    }

    @Test
    void allTopicsWhenTopicsIsNullOrEmptyAtV0() throws Exception {
        MetadataResponseData v12 = run(handler(false), (short) 12, new MetadataRequestData().setTopics(null));
        assertThat(v12.topics().find("existing").partitions()).hasSize(2);
        MetadataResponseData v0 = run(handler(false), (short) 0, new MetadataRequestData());
        assertThat(v0.topics().find("existing")).isNotNull();
        assertThat(v0.brokers().find(7).host()).isEqualTo("broker.example");
    }

    @Test
    void internalTopicsAreFlaggedAndNeverAutoCreated() throws Exception {
        assertThat(run(handler(true), (short) 12, request(true, "__consumer_offsets")).topics()
                .find("__consumer_offsets").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(log.topic("__consumer_offsets")).isEmpty();

        log.createTopic("__consumer_offsets", 1, Map.of());
        MetadataResponseData all = run(handler(false), (short) 12, new MetadataRequestData().setTopics(null));
        assertThat(all.topics().find("__consumer_offsets").isInternal()).isTrue();
        assertThat(all.topics().find("existing").isInternal()).isFalse();
    }

    @Test
    void theHalfMessageTopicIsInternalAndNeverAutoCreated() throws Exception {
        assertThat(run(handler(true), (short) 12, request(true, "__half_messages")).topics()
                .find("__half_messages").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(log.topic("__half_messages")).isEmpty();

        log.createTopic("__half_messages", 1, Map.of());
        MetadataResponseData all = run(handler(false), (short) 12, new MetadataRequestData().setTopics(null));
        assertThat(all.topics().find("__half_messages").isInternal()).isTrue();
    }

    @Test
    void unknownTopicIdIsReported() throws Exception {
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestTopic().setName(null).setTopicId(Uuid.randomUuid()));
        MetadataResponseData response = run(handler(true), (short) 12, request);
        assertThat(response.topics().iterator().next().errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    private MetadataHandler handler(boolean autoCreate) {
        BrokerSettings settings = new BrokerSettings(7, "cluster", 3, autoCreate, 1 << 20, 60_000, Map.of());
        return new MetadataHandler(log, settings, new BrokerEndpoint(7, "broker.example", 9092), Runnable::run);
    }

    private static MetadataRequestData request(boolean allowAutoCreate, String topic) {
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(allowAutoCreate);
        request.topics().add(new MetadataRequestTopic().setName(topic));
        return request;
    }

    private MetadataResponseData run(MetadataHandler handler, short version, MetadataRequestData request) throws Exception {
        TestContext context = new TestContext(ApiKeys.METADATA, version, request, loop);
        loop.execute(() -> handler.handle(context));
        return (MetadataResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
    }
}
