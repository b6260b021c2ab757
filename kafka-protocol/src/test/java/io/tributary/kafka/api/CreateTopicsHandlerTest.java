package io.tributary.kafka.api;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class CreateTopicsHandlerTest {
    private static final int NODE = 3;

    @TempDir
    Path dir;
    private LogManager log;
    private EventLoop loop;
    private CreateTopicsHandler handler;

    @BeforeEach
    void setUp() {
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        loop = new DefaultEventLoop();
        handler = new CreateTopicsHandler(log, new BrokerSettings(NODE, "c", 4, true, 1 << 20, 60_000, Map.of()),
                Runnable::run);
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        log.close();
    }

    @Test
    void defaultPartitionCountAndEffectiveConfigs() throws Exception {
        CreatableTopicResult result = create(false, topic("a", -1, (short) -1).setConfigs(
                new CreateTopicsRequestData.CreatableTopicConfigCollection(List.of(
                        new CreatableTopicConfig().setName("retention.ms").setValue("1000")).iterator())));
        assertThat(result.errorCode()).isZero();
        assertThat(result.errorMessage()).as("null on success, as Kafka answers").isNull();
        assertThat(result.numPartitions()).isEqualTo(4);
        assertThat(result.replicationFactor()).isEqualTo((short) 1);
        assertThat(result.configs()).anyMatch(c -> c.name().equals("retention.ms") && c.value().equals("1000"));
        assertThat(log.topic("a").orElseThrow().configOverrides()).containsEntry("retention.ms", "1000");
    }

    @Test
    void invalidConfigIsRefusedWithItsReason() throws Exception {
        CreatableTopicResult result = create(false, topic("b", 1, (short) 1).setConfigs(
                new CreateTopicsRequestData.CreatableTopicConfigCollection(List.of(
                        new CreatableTopicConfig().setName("flush.policy").setValue("sometimes")).iterator())));
        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(result.errorMessage()).contains("flush.policy");
        assertThat(log.topic("b")).isEmpty();
    }

    @Test
    void badPartitionsReplicationAndNamesAreRefused() throws Exception {
        assertThat(create(false, topic("c", 0, (short) 1)).errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(create(false, topic("d", 1, (short) 2)).errorCode()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
        assertThat(create(false, topic("e/f", 1, (short) 1)).errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(log.topics()).isEmpty();
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        CreatableTopicResult result = create(true, topic("g", 2, (short) 1));
        assertThat(result.errorCode()).isZero();
        assertThat(result.numPartitions()).isEqualTo(2);
        assertThat(log.topic("g")).isEmpty();
    }

    @Test
    void existingAndDuplicateNames() throws Exception {
        create(false, topic("h", 1, (short) 1));
        assertThat(create(false, topic("h", 1, (short) 1)).errorCode()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code());

        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(topic("i", 1, (short) 1));
        request.topics().add(topic("i", 1, (short) 1));
        CreateTopicsResponseData response = run(request);
        assertThat(response.topics()).allMatch(r -> r.errorCode() == Errors.INVALID_REQUEST.code());
        assertThat(log.topic("i")).isEmpty();
    }

    @Test
    void manualAssignmentToThisNodeOnly() throws Exception {
        CreatableTopic ok = topic("j", -1, (short) -1);
        ok.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(NODE)));
        ok.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(1).setBrokerIds(List.of(NODE)));
        assertThat(create(false, ok).errorCode()).isZero();
        assertThat(log.topic("j").orElseThrow().partitionCount()).isEqualTo(2);

        CreatableTopic elsewhere = topic("k", -1, (short) -1);
        elsewhere.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(NODE + 1)));
        assertThat(create(false, elsewhere).errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
    }

    private static CreatableTopic topic(String name, int partitions, short replication) {
        return new CreatableTopic().setName(name).setNumPartitions(partitions).setReplicationFactor(replication);
    }

    private CreatableTopicResult create(boolean validateOnly, CreatableTopic topic) throws Exception {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setValidateOnly(validateOnly);
        request.topics().add(topic);
        return run(request).topics().iterator().next();
    }

    private CreateTopicsResponseData run(CreateTopicsRequestData request) throws Exception {
        TestContext context = new TestContext(ApiKeys.CREATE_TOPICS, (short) 7, request, loop);
        loop.execute(() -> handler.handle(context));
        return (CreateTopicsResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
    }
}
