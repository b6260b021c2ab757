package io.tributary.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DescribeTopicPartitions (KIP-966), what {@code Admin.describeTopics} and {@code kafka-topics --describe} use:
 * through the Admin client, and raw where the Admin client hides the answer (the cursor, the order, the error
 * codes of each topic). Topic ids and node ids differ between the brokers, so only whether they are set (or are
 * this node) is compared.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DescribeTopicPartitionsDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(60)
    void adminDescribesEveryPartitionWithAnEmptyElr() {
        differential("ok internal=false id=true ops=[READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS,"
                + " ALTER_CONFIGS] [0 leader=self replicas=1 isr=1 elr=[] lastKnownElr=[],"
                + " 1 leader=self replicas=1 isr=1 elr=[] lastKnownElr=[],"
                + " 2 leader=self replicas=1 isr=1 elr=[] lastKnownElr=[]]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "dtp-three", 3);
            Node self = admin.describeCluster().nodes().get().iterator().next();
            TopicDescription topic = admin.describeTopics(List.of("dtp-three"),
                    new DescribeTopicsOptions().includeAuthorizedOperations(true).partitionSizeLimitPerResponse(2))
                    .allTopicNames().get().get("dtp-three");
            List<String> partitions = new ArrayList<>();
            for (TopicPartitionInfo p : topic.partitions()) {
                partitions.add(p.partition() + " leader=" + (self.equals(p.leader()) ? "self" : p.leader())
                        + " replicas=" + p.replicas().size() + " isr=" + p.isr().size()
                        + " elr=" + p.elr() + " lastKnownElr=" + p.lastKnownElr());
            }
            return "internal=" + topic.isInternal() + " id=" + !Uuid.ZERO_UUID.equals(topic.topicId())
                    + " ops=" + new TreeSet<>(topic.authorizedOperations()) + " " + partitions;
        }));
    }

    @Test
    @Timeout(60)
    void namedTopicsArePagedByTheCursorInNameOrder() {
        differential("ok [dtp-page-a:0[0,1] next=dtp-page-a/2]"
                + " [dtp-page-a:0[2] dtp-page-b:0[0] next=dtp-page-b/1]"
                + " [dtp-page-b:0[1] dtp-page-missing:3[] id=false next=none]"
                + " [dtp-page-a:0[0,1,2] next=dtp-page-b/0]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "dtp-page-a", 3);
            Differential.createTopic(admin, "dtp-page-b", 2);
            List<String> topics = List.of("dtp-page-b", "dtp-page-missing", "dtp-page-a");
            return String.join(" ",
                    page(b, request(2, null, topics)),
                    page(b, request(2, cursor("dtp-page-a", 2), topics)),
                    page(b, request(2, cursor("dtp-page-b", 1), topics)),
                    page(b, request(3, null, topics)));
        }));
    }

    @Test
    @Timeout(60)
    void allTopicsArePagedFromTheCursorTopicOn() {
        // Every other topic of this class sorts before "zz-all-", so the cursor leaves only this scenario's.
        differential("ok [zz-all-a:0[0,1] next=zz-all-b/0] [zz-all-b:0[0] next=none]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "zz-all-a", 2);
            Differential.createTopic(admin, "zz-all-b", 1);
            return String.join(" ", page(b, request(2, cursor("zz-all-", 0), List.of())),
                    page(b, request(2, cursor("zz-all-b", 0), List.of())));
        }));
    }

    @Test
    @Timeout(60)
    void unknownAndInvalidNamesAndStrayCursors() {
        differential("ok [bad/name:17[] id=false never-created:3[] id=false next=none]"
                + " [dtp-stray:42[] id=false next=none] [dtp-stray:42[] id=false next=none]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "dtp-stray", 1);
            return String.join(" ", page(b, request(10, null, List.of("never-created", "bad/name"))),
                    page(b, request(10, cursor("dtp-elsewhere", 0), List.of("dtp-stray"))),
                    page(b, request(10, cursor("dtp-stray", -1), List.of("dtp-stray"))));
        }));
    }

    @Test
    @Timeout(90)
    void theOffsetsTopicIsInternal() {
        differential("ok admin=true raw=__consumer_offsets error=0 internal=true id=true first=[0]",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "dtp-offsets-source", 1);
                    // A committed offset makes Kafka create its offsets topic; Tributary has it from the start.
                    admin.alterConsumerGroupOffsets("dtp-group", Map.of(new TopicPartition("dtp-offsets-source", 0),
                            new OffsetAndMetadata(0))).all().get();
                    boolean internal = admin.describeTopics(List.of("__consumer_offsets")).allTopicNames().get()
                            .get("__consumer_offsets").isInternal();
                    DescribeTopicPartitionsResponseTopic topic = call(b, request(1, null,
                            List.of("__consumer_offsets"))).topics().find("__consumer_offsets");
                    return "admin=" + internal + " raw=" + topic.name() + " error=" + topic.errorCode()
                            + " internal=" + topic.isInternal() + " id=" + !Uuid.ZERO_UUID.equals(topic.topicId())
                            + " first=" + topic.partitions().stream()
                            .map(DescribeTopicPartitionsResponsePartition::partitionIndex).toList();
                }));
    }

    private static DescribeTopicPartitionsRequestData request(int limit, Cursor cursor, List<String> topics) {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData()
                .setResponsePartitionLimit(limit).setCursor(cursor);
        topics.forEach(t -> request.topics().add(new TopicRequest().setName(t)));
        return request;
    }

    private static Cursor cursor(String topic, int partition) {
        return new Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    private static DescribeTopicPartitionsResponseData call(ChildBroker broker, DescribeTopicPartitionsRequestData request)
            throws Exception {
        return (DescribeTopicPartitionsResponseData) RawRequest.call(broker, ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (short) 0,
                request);
    }

    /**
     * One response as {@code [topic:error[partitions] ... next=topic/partition]}, topics in the broker's order; a
     * topic answered with an error also shows whether it carries an id.
     */
    private static String page(ChildBroker broker, DescribeTopicPartitionsRequestData request) throws Exception {
        DescribeTopicPartitionsResponseData response = call(broker, request);
        StringBuilder out = new StringBuilder("[");
        for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
            out.append(topic.name()).append(':').append(topic.errorCode()).append(topic.partitions().stream()
                    .map(p -> String.valueOf(p.partitionIndex())).toList().toString().replace(" ", ""));
            if (topic.errorCode() != 0) {
                out.append(" id=").append(!Uuid.ZERO_UUID.equals(topic.topicId()));
            }
            out.append(' ');
        }
        DescribeTopicPartitionsResponseData.Cursor next = response.nextCursor();
        out.append("next=").append(next == null ? "none" : next.topicName() + "/" + next.partitionIndex());
        return out.append(']').toString();
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }
}
