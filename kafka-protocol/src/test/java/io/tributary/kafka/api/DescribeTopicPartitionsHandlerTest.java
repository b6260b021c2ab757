package io.tributary.kafka.api;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.security.acl.AclBinding;
import io.tributary.security.acl.AclStore;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.PatternType;
import io.tributary.security.acl.Permission;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class DescribeTopicPartitionsHandlerTest {
    private static final int NODE = 7;

    @TempDir
    Path dir;
    private LogManager log;
    private EventLoop loop;

    @BeforeEach
    void setUp() {
        log = LogManager.open(LogManagerConfig.builder(dir.resolve("log")).build());
        log.createTopic("b", 2, Map.of());
        log.createTopic("a", 2, Map.of());
        log.createTopic("c", 1, Map.of());
        loop = new DefaultEventLoop();
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        log.close();
    }

    @Test
    void allTopicsInNameOrderWithEveryPartitionOnThisNode() throws Exception {
        DescribeTopicPartitionsResponseData response = run(handler(null), request(2000, null));

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("a", "b", "c");
        assertThat(response.nextCursor()).isNull();
        DescribeTopicPartitionsResponseTopic a = response.topics().find("a");
        assertThat(a.errorCode()).isZero();
        assertThat(a.topicId()).isEqualTo(Topics.kafkaId(log.topic("a").orElseThrow()));
        assertThat(a.isInternal()).isFalse();
        assertThat(a.topicAuthorizedOperations()).as("every topic operation without an authorizer")
                .isEqualTo(Utils.to32BitField(Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                        AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.ALTER_CONFIGS).stream().map(AclOperation::code).collect(Collectors.toSet())));
        assertThat(a.partitions()).extracting(DescribeTopicPartitionsResponsePartition::partitionIndex).containsExactly(0, 1);
        DescribeTopicPartitionsResponsePartition p = a.partitions().get(1);
        assertThat(p.leaderId()).isEqualTo(NODE);
        assertThat(p.leaderEpoch()).isZero();
        assertThat(p.replicaNodes()).containsExactly(NODE);
        assertThat(p.isrNodes()).containsExactly(NODE);
        assertThat(p.eligibleLeaderReplicas()).isEmpty();
        assertThat(p.lastKnownElr()).isEmpty();
        assertThat(p.offlineReplicas()).isEmpty();
    }

    @Test
    void aPageStopsInsideATopicAndTheCursorResumesThere() throws Exception {
        DescribeTopicPartitionsResponseData first = run(handler(null), request(3, null));
        assertThat(partitions(first)).containsExactly("a-0", "a-1", "b-0");
        assertThat(first.nextCursor().topicName()).isEqualTo("b");
        assertThat(first.nextCursor().partitionIndex()).isEqualTo(1);

        DescribeTopicPartitionsResponseData second = run(handler(null), request(3, new Cursor().setTopicName("b")
                .setPartitionIndex(1)));
        assertThat(partitions(second)).containsExactly("b-1", "c-0");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aFullPageAtATopicsEndPointsAtTheStartOfTheNextTopic() throws Exception {
        DescribeTopicPartitionsResponseData response = run(handler(null), request(2, null, "a", "b"));

        assertThat(partitions(response)).containsExactly("a-0", "a-1");
        assertThat(response.nextCursor().topicName()).isEqualTo("b");
        assertThat(response.nextCursor().partitionIndex()).isZero();
    }

    @Test
    void aLimitBelowOneServesOnePartition() throws Exception {
        DescribeTopicPartitionsResponseData response = run(handler(null), request(0, null, "a"));

        assertThat(partitions(response)).containsExactly("a-0");
        assertThat(response.nextCursor().partitionIndex()).isEqualTo(1);
    }

    @Test
    void unknownAndInvalidNamesAnswerTheirErrorsInNameOrder() throws Exception {
        DescribeTopicPartitionsResponseData response = run(handler(null),
                request(2000, null, "never-created", "bad/name", "a", "__consumer_offsets"));

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name)
                .containsExactly("__consumer_offsets", "a", "bad/name", "never-created");
        assertThat(response.topics().find("never-created").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.topics().find("never-created").topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(response.topics().find("bad/name").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(response.topics().find("__consumer_offsets").isInternal()).isTrue();
        assertThat(response.topics().find("a").errorCode()).isZero();
    }

    @Test
    void aCursorOutsideTheNamedTopicsIsAnInvalidRequest() throws Exception {
        DescribeTopicPartitionsResponseData response = run(handler(null),
                request(2000, new Cursor().setTopicName("c").setPartitionIndex(0), "a", "b"));

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::errorCode)
                .containsOnly(Errors.INVALID_REQUEST.code());
        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).contains("a", "b");
    }

    @Test
    void aNegativeCursorPartitionIsAnInvalidRequest() throws Exception {
        DescribeTopicPartitionsResponseData response = run(handler(null),
                request(2000, new Cursor().setTopicName("a").setPartitionIndex(-1), "a"));

        assertThat(response.topics()).singleElement().extracting(DescribeTopicPartitionsResponseTopic::errorCode)
                .isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void topicsNotDescribableAreHiddenFromAllAndRefusedByName() throws Exception {
        Authorizer authorizer = authorizer(new AclBinding(ResourceType.TOPIC, "a", PatternType.LITERAL,
                "User:ANONYMOUS", AclBinding.WILDCARD, Operation.READ, Permission.ALLOW));

        DescribeTopicPartitionsResponseData all = run(handler(authorizer), request(2000, null));
        DescribeTopicPartitionsResponseData named = run(handler(authorizer), request(2000, null, "b", "never-created", "a"));

        assertThat(all.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("a");
        assertThat(all.topics().find("a").topicAuthorizedOperations()).as("READ, and DESCRIBE with it")
                .isEqualTo((1 << AclOperation.READ.code()) | (1 << AclOperation.DESCRIBE.code()));
        assertThat(named.topics()).extracting(DescribeTopicPartitionsResponseTopic::name)
                .as("the refused ones after the described").startsWith("a").containsExactlyInAnyOrder("a", "b", "never-created");
        for (String refused : List.of("b", "never-created")) {
            DescribeTopicPartitionsResponseTopic topic = named.topics().find(refused);
            assertThat(topic.errorCode()).as(refused).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            assertThat(topic.topicId()).isEqualTo(Uuid.ZERO_UUID);
            assertThat(topic.partitions()).isEmpty();
            assertThat(topic.topicAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        }
    }

    private Authorizer authorizer(AclBinding... bindings) throws Exception {
        AclStore store = AclStore.open(dir);
        store.update(current -> List.of(bindings));
        return Authorizer.fromKafkaKeys(Map.of(Authorizer.CLASS_NAME,
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer"), store);
    }

    private DescribeTopicPartitionsHandler handler(Authorizer authorizer) {
        return new DescribeTopicPartitionsHandler(log, new BrokerEndpoint(NODE, "broker.example", 9092), authorizer);
    }

    private static DescribeTopicPartitionsRequestData request(int limit, Cursor cursor, String... topics) {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData()
                .setResponsePartitionLimit(limit).setCursor(cursor);
        for (String topic : topics) {
            request.topics().add(new TopicRequest().setName(topic));
        }
        return request;
    }

    private static List<String> partitions(DescribeTopicPartitionsResponseData response) {
        return response.topics().stream()
                .flatMap(t -> t.partitions().stream().map(p -> t.name() + "-" + p.partitionIndex())).toList();
    }

    private DescribeTopicPartitionsResponseData run(DescribeTopicPartitionsHandler handler,
                                                    DescribeTopicPartitionsRequestData request) throws Exception {
        TestContext context = new TestContext(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (short) 0, request, loop);
        loop.execute(() -> handler.handle(context));
        return (DescribeTopicPartitionsResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
    }
}
