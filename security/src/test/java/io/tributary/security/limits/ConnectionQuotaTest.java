package io.tributary.security.limits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ConnectionQuotaTest {
    @Test
    void perIpLimitWithOverrideAndTotalLimitRefuseAndReleaseFreesASlot() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        ConnectionQuota quota = ConnectionQuota.fromKafkaKeys(Map.of("max.connections.per.ip", "2",
                "max.connections.per.ip.overrides", "10.0.0.2:3", "max.connections", "4"));

        assertThat(quota.tryAcquire(a)).isNull();
        assertThat(quota.tryAcquire(a)).isNull();
        assertThat(quota.tryAcquire(a)).isEqualTo(ConnectionQuota.Refusal.PER_IP);
        assertThat(quota.tryAcquire(b)).isNull();
        assertThat(quota.tryAcquire(b)).isNull();
        assertThat(quota.tryAcquire(b)).isEqualTo(ConnectionQuota.Refusal.TOTAL);
        assertThat(quota.open()).isEqualTo(4);

        quota.release(a);
        assertThat(quota.tryAcquire(b)).isNull();
        assertThat(quota.open()).isEqualTo(4);
    }

    @Test
    void unsetMeansUnlimitedAndInvalidValuesNameTheKey() throws Exception {
        ConnectionQuota quota = ConnectionQuota.fromKafkaKeys(Map.of());
        for (int i = 0; i < 1000; i++) {
            assertThat(quota.tryAcquire(InetAddress.getLoopbackAddress())).isNull();
        }
        assertThatThrownBy(() -> ConnectionQuota.fromKafkaKeys(Map.of("max.connections", "0")))
                .hasMessageContaining("max.connections");
        assertThatThrownBy(() -> ConnectionQuota.fromKafkaKeys(Map.of("max.connections.per.ip.overrides", "nohost")))
                .hasMessageContaining("max.connections.per.ip.overrides");
    }
}
