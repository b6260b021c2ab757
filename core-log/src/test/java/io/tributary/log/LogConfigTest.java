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
}
