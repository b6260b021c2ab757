package io.tributary.log;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogConfigTest {

    @Test
    void overridesReplaceOnlyTheKeysGiven() {
        LogConfig config = LogConfig.defaults().withOverrides(Map.of("flush.policy", "sync", "segment.bytes", "1024"));

        assertThat(config.flushPolicy()).isEqualTo(FlushPolicy.SYNC);
        assertThat(config.segmentBytes()).isEqualTo(1024);
        assertThat(config.retentionMs()).isEqualTo(LogConfig.defaults().retentionMs());
    }

    @Test
    void badValueNamesTheKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("flush.policy", "sometimes")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("flush.policy")
                .hasMessageContaining("sync, async");
    }

    @Test
    void unknownKeyIsRejected() {
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("segment.byte", "1")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("segment.byte");
    }

    @Test
    void toMapRoundTrips() {
        LogConfig config = LogConfig.defaults().withOverrides(Map.of("message.timestamp.type", "LogAppendTime"));

        assertThat(LogConfig.defaults().withOverrides(config.toMap()).toMap()).isEqualTo(config.toMap());
    }

    @Test
    void timestampBoundsDefaultAsKafka4AndRejectNegatives() {
        LogConfig defaults = LogConfig.defaults();
        assertThat(defaults.timestampBeforeMaxMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(defaults.timestampAfterMaxMs()).isEqualTo(3_600_000L);

        LogConfig config = defaults.withOverrides(Map.of("message.timestamp.before.max.ms", "60000",
                "message.timestamp.after.max.ms", "0"));

        assertThat(config.timestampBeforeMaxMs()).isEqualTo(60_000L);
        assertThat(config.timestampAfterMaxMs()).isZero();
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("message.timestamp.after.max.ms", "-1")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("message.timestamp.after.max.ms");
    }

    @Test
    void kafkaConfigsWithASingleSupportedValueAcceptThatValueOnly() {
        LogConfig config = LogConfig.defaults().withOverrides(Map.of(
                "cleanup.policy", "delete", "min.insync.replicas", "1", "compression.type", "producer"));

        assertThat(config.toMap()).containsEntry("cleanup.policy", "delete").containsEntry("compression.type", "producer");
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("compression.type", "gzip")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("compression.type")
                .hasMessageContaining("'producer'");
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("min.insync.replicas", "2")))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void compactionConfigsParseAsKafkaDoes() {
        LogConfig config = LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "Delete, compact",
                "delete.retention.ms", "5", "min.cleanable.dirty.ratio", "0.25", "min.compaction.lag.ms", "7",
                "max.compaction.lag.ms", "9"));

        assertThat(config.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT_DELETE);
        assertThat(config.toMap()).containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("delete.retention.ms", "5").containsEntry("min.cleanable.dirty.ratio", "0.25")
                .containsEntry("min.compaction.lag.ms", "7").containsEntry("max.compaction.lag.ms", "9");
        assertThat(LogConfig.defaults().toMap()).containsEntry("cleanup.policy", "delete")
                .containsEntry("delete.retention.ms", "86400000").containsEntry("min.cleanable.dirty.ratio", "0.5")
                .containsEntry("min.compaction.lag.ms", "0")
                .containsEntry("max.compaction.lag.ms", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "shred")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("cleanup.policy");
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("min.cleanable.dirty.ratio", "1.5")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("min.cleanable.dirty.ratio");
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("min.compaction.lag.ms", "10",
                "max.compaction.lag.ms", "5"))).isInstanceOf(InvalidConfigException.class);
    }
}
