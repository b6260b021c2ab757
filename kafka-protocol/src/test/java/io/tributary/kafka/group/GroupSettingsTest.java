package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.store.GroupStoreConfig;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class GroupSettingsTest {

    @Test
    void kafkaKeysOverrideTheDefaults() {
        // Given broker settings with a few group keys
        Map<String, String> all = Map.of("group.initial.rebalance.delay.ms", "0", "offsets.retention.minutes", "60",
                "group.consumer.assignors", "range, uniform", "group.max.session.timeout.ms", "60000");

        // When
        GroupConfig config = GroupSettings.from(all);

        // Then
        assertThat(config.initialRebalanceDelayMs()).isZero();
        assertThat(config.offsetsRetentionMs()).isEqualTo(3_600_000L);
        assertThat(config.consumerDefaultAssignor()).isEqualTo("range");
        assertThat(config.maxSessionTimeoutMs()).isEqualTo(60_000);
        assertThat(config.minSessionTimeoutMs()).isEqualTo(GroupConfig.defaults().minSessionTimeoutMs());
        assertThat(GroupSettings.from(Map.of())).isEqualTo(GroupConfig.defaults());
    }

    @Test
    void offsetsTopicSegmentBytesSetsTheStoreSegmentSize() {
        assertThat(GroupSettings.storeFrom(Map.of("offsets.topic.segment.bytes", "1048576")).segmentBytes())
                .isEqualTo(1_048_576);
        assertThat(GroupSettings.storeFrom(Map.of())).isEqualTo(GroupStoreConfig.defaults());
    }

    @Test
    void aNonNumericValueNamesItsKey() {
        assertThatThrownBy(() -> GroupSettings.from(Map.of("group.max.size", "many")))
                .hasMessageContaining("group.max.size");
    }

    @Test
    void everyCoordinatorErrorHasTheKafkaCodeOfTheSameName() {
        for (GroupError error : GroupError.values()) {
            assertThat(Errors.forCode(GroupErrors.code(error)).name()).isEqualTo(error.name());
        }
    }
}
