package io.tributary.broker.it;

import io.tributary.broker.Broker;
import io.tributary.log.FlushPolicy;
import io.tributary.log.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AdminClient against the broker: topic creation with overrides, and offset lookups. */
@ExtendWith(TributaryExtension.class)
@Timeout(60)
class AdminIT {

    @Test
    void createTopicsStoresPartitionsAndConfigOverrides(Broker broker) throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            // When
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)
                    .configs(Map.of("flush.policy", "sync", "retention.ms", "3600000")))).all().get(15, TimeUnit.SECONDS);

            // Then the log has it, with the overrides applied over the broker defaults
            Topic topic = broker.log().topic("orders").orElseThrow();
            assertThat(topic.partitionCount()).isEqualTo(3);
            assertThat(topic.config().flushPolicy()).isEqualTo(FlushPolicy.SYNC);
            assertThat(topic.config().retentionMs()).isEqualTo(3_600_000L);
            assertThat(topic.configOverrides()).containsEntry("flush.policy", "sync");
            assertThat(admin.listTopics().names().get(15, TimeUnit.SECONDS)).contains("orders");

            // And creating it again is refused with TOPIC_ALREADY_EXISTS
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1)))
                    .all().get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TopicExistsException.class);
        }
    }

    @Test
    void listOffsetsEarliestLatestAndForTimestamp(Broker broker) throws Exception {
        // Given 10 records with timestamps 1000, 2000, ..., 10000
        TopicPartition tp = new TopicPartition("clock", 0);
        try (Admin admin = Clients.admin(broker.bootstrapServers());
             KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            admin.createTopics(List.of(new NewTopic("clock", 1, (short) 1))).all().get(15, TimeUnit.SECONDS);
            for (int i = 1; i <= 10; i++) {
                producer.send(new ProducerRecord<>("clock", 0, i * 1000L, null, new byte[]{(byte) i})).get(15, TimeUnit.SECONDS);
            }

            // When / Then
            assertThat(offset(admin, tp, OffsetSpec.earliest())).isEqualTo(0);
            assertThat(offset(admin, tp, OffsetSpec.latest())).isEqualTo(10);
            assertThat(offset(admin, tp, OffsetSpec.forTimestamp(4500))).isEqualTo(4);
            assertThat(offset(admin, tp, OffsetSpec.forTimestamp(1000))).isEqualTo(0);
            ListOffsetsResultInfo none = admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(99_999)))
                    .partitionResult(tp).get(15, TimeUnit.SECONDS);
            assertThat(none.offset()).isEqualTo(-1);
        }
    }

    private static long offset(Admin admin, TopicPartition tp, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(15, TimeUnit.SECONDS).offset();
    }
}
