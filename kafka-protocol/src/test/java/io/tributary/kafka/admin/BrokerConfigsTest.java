package io.tributary.kafka.admin;

import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class BrokerConfigsTest {
    private final BrokerConfigs configs = new BrokerConfigs(new BrokerSettings(3, "c", 1, true, 1 << 20, 60_000L,
            Map.of("num.network.threads", "4", "ssl.keystore.password", "hunter2")));

    @Test
    void onlyThisNodeOrTheClusterDefaultIsAResource() {
        assertThat(configs.checkName("3")).isEqualTo(ConfigError.NONE);
        assertThat(configs.checkName("")).isEqualTo(ConfigError.NONE);
        assertThat(configs.checkName("4").error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(configs.checkName("x").error()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void settingsAreReadOnlyAndSecretsHidden() {
        List<DescribeConfigsResourceResult> described = configs.describe("3", null, false);

        assertThat(described).extracting(DescribeConfigsResourceResult::name)
                .containsExactly("num.network.threads", "ssl.keystore.password");
        assertThat(described).allMatch(DescribeConfigsResourceResult::readOnly);
        assertThat(described.get(1).value()).isNull();
        assertThat(described.get(1).isSensitive()).isTrue();
        assertThat(configs.describe("", null, false)).as("no dynamic cluster defaults").isEmpty();
    }

    @Test
    void changesAreRefusedButNothingToChangeIsFine() {
        assertThat(configs.refuseChanges(List.of()).error()).isEqualTo(Errors.NONE);
        ConfigError refused = configs.refuseChanges(List.of("num.network.threads"));
        assertThat(refused.error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refused.message()).contains("num.network.threads");
    }
}
