package io.tributary.kafka.admin;

import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class DeleteTopicsHandlerTest {
    @TempDir
    Path dir;
    LogManager log;
    final List<PartitionLog> deletedInPipeline = new ArrayList<>();
    final List<String> deletedTopics = new ArrayList<>();
    IngestPipeline pipeline;
    DeleteTopicsHandler handler;

    @BeforeEach
    void open() {
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        // a pipeline that only records which partitions it was told were deleted
        pipeline = (IngestPipeline) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {IngestPipeline.class}, (proxy, method, args) -> {
                    if (method.getName().equals("partitionDeleted")) {
                        deletedInPipeline.add((PartitionLog) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        BrokerSettings settings = new BrokerSettings(1, "cluster", 1, true, 1 << 20, 60_000L, Map.of());
        handler = new DeleteTopicsHandler(log, pipeline, settings, Runnable::run, deletedTopics::add);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void deletingATopicTellsThePipelineOfEachPartitionAndTheListenerOfTheTopic() {
        // Given a topic with two partitions and another topic
        Topic doomed = log.createTopic("doomed", 2, Map.of());
        log.createTopic("kept", 1, Map.of());

        // When it is deleted
        DeleteTopicsResponseData response = handler.deleteAll(new DeleteTopicsRequestData().setTimeoutMs(1000)
                .setTopicNames(List.of("doomed")), (short) 5);

        // Then the deletion succeeded and the pipeline heard of both its partitions, the listener of the topic,
        // and neither of anything else
        assertThat(response.responses().find("doomed").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(deletedInPipeline).containsExactly(doomed.partition(0), doomed.partition(1));
        assertThat(deletedTopics).containsExactly("doomed");
        assertThat(log.topic("doomed")).isEmpty();
    }

    @Test
    void anUnknownTopicTellsThePipelineNothing() {
        DeleteTopicsResponseData response = handler.deleteAll(new DeleteTopicsRequestData().setTimeoutMs(1000)
                .setTopicNames(List.of("never-created")), (short) 5);

        assertThat(response.responses().find("never-created").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(deletedInPipeline).isEmpty();
        assertThat(deletedTopics).isEmpty();
    }

    @Test
    void withTopicDeletionDisabledEveryTopicOfTheRequestIsRefusedWholeAsKafkasControllerDoes() {
        // Given a broker with delete.topic.enable=false and a topic
        Topic kept = log.createTopic("kept", 1, Map.of());
        DeleteTopicsHandler disabled = new DeleteTopicsHandler(log, pipeline, new BrokerSettings(1, "cluster", 1, true,
                1 << 20, 60_000L, Map.of("delete.topic.enable", "false")), Runnable::run, deletedTopics::add);
        Uuid keptId = io.tributary.kafka.api.Topics.kafkaId(kept);

        // When a request names it, names another twice, gives an id, and gives an entry with both name and id
        DeleteTopicsResponseData response = disabled.deleteAll(new DeleteTopicsRequestData().setTopics(List.of(
                new DeleteTopicState().setName("kept"),
                new DeleteTopicState().setName("twice"), new DeleteTopicState().setName("twice"),
                new DeleteTopicState().setTopicId(keptId),
                new DeleteTopicState().setName("both").setTopicId(keptId))), (short) 6);

        // Then every entry is answered TOPIC_DELETION_DISABLED without a message, as given, and nothing is deleted
        assertThat(response.responses()).hasSize(5).allSatisfy(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.TOPIC_DELETION_DISABLED.code());
            assertThat(r.errorMessage()).isNull();
        });
        assertThat(response.responses()).extracting(DeleteTopicsResponseData.DeletableTopicResult::name)
                .containsExactly("kept", "twice", "twice", null, "both");
        assertThat(log.topic("kept")).isPresent();
        assertThat(deletedTopics).isEmpty();

        // And before version 3, which has no TOPIC_DELETION_DISABLED, every name INVALID_REQUEST
        DeleteTopicsResponseData v2 = disabled.deleteAll(new DeleteTopicsRequestData()
                .setTopicNames(List.of("kept", "kept")), (short) 2);
        assertThat(v2.responses()).hasSize(2)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
    }
}
