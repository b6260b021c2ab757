package io.tributary.perf.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.perf.transport.Acks;
import io.tributary.perf.transport.ConsumerSettings;
import io.tributary.perf.transport.ProducerSettings;
import io.tributary.perf.transport.Transports;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class KafkaConfigsTest {

    @Test
    void producerSettingsBecomeKafkaConfigsWithExtrasAppliedLast() {
        // Given acks=all with idempotence, lz4, and an extra that overrides linger
        ProducerSettings s = new ProducerSettings("t", Acks.ALL, true, "lz4", 65536, 5,
                Map.of("linger.ms", "20", "buffer.memory", "1048576"));
        // When mapped
        Properties p = KafkaConfigs.producer("h:1", Map.of("client.id", "perf"), s);
        // Then
        assertThat(p).containsEntry("bootstrap.servers", "h:1").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("compression.type", "lz4")
                .containsEntry("batch.size", "65536").containsEntry("linger.ms", "20")
                .containsEntry("buffer.memory", "1048576").containsEntry("client.id", "perf");
    }

    @Test
    void acksMapToTheirKafkaSpelling() {
        assertThat(KafkaConfigs.producer("h:1", Map.of(), settings(Acks.NONE))).containsEntry("acks", "0");
        assertThat(KafkaConfigs.producer("h:1", Map.of(), settings(Acks.LEADER))).containsEntry("acks", "1");
        assertThat(Acks.parse("-1")).isEqualTo(Acks.ALL);
    }

    @Test
    void aTransactionalProducerGetsItsIdAndIdempotence() {
        // Given settings without idempotence, made transactional
        ProducerSettings s = settings(Acks.ALL).withTransactionalId("perf-txn-0");
        // When mapped
        Properties p = KafkaConfigs.producer("h:1", Map.of(), s);
        // Then kafka-clients gets the id and the idempotence it requires; a plain producer gets no id
        assertThat(p).containsEntry("transactional.id", "perf-txn-0").containsEntry("enable.idempotence", "true");
        assertThat(KafkaConfigs.producer("h:1", Map.of(), settings(Acks.ALL))).doesNotContainKey("transactional.id");
    }

    private static ProducerSettings settings(Acks acks) {
        return new ProducerSettings("t", acks, false, "none", 16384, 0, Map.of());
    }

    @Test
    void consumersWithoutAGroupHaveNoGroupIdAndStartWhereAsked() {
        Properties byHand = KafkaConfigs.consumer("h:1", Map.of(),
                new ConsumerSettings("t", null, 0, 2, ConsumerSettings.StartPosition.LATEST, Map.of()));
        Properties grouped = KafkaConfigs.consumer("h:1", Map.of(),
                new ConsumerSettings("t", "g", 0, 1, ConsumerSettings.StartPosition.EARLIEST, Map.of()));
        assertThat(byHand).doesNotContainKey("group.id").containsEntry("auto.offset.reset", "latest")
                .containsEntry("enable.auto.commit", "false");
        assertThat(grouped).containsEntry("group.id", "g").containsEntry("auto.offset.reset", "earliest");
    }

    @Test
    void theKafkaTransportIsFoundByName() {
        assertThat(Transports.byName("kafka")).isInstanceOf(KafkaTransportProvider.class);
    }
}
