package io.tributary.kafka.api;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class ApiHandlersTest {
    private static final ApiHandler NOOP = context -> { };

    @Test
    void advertisedRangesAreOnesKafkaClientsKnow() {
        for (ApiKeys key : SupportedApis.keys()) {
            assertThat(SupportedApis.maxVersion(key)).as("%s", key).isLessThanOrEqualTo(key.latestVersion());
            for (short v = SupportedApis.minVersion(key); v <= SupportedApis.maxVersion(key); v++) {
                if (SupportedApis.accepts(key, v)) {
                    assertThat(key.isVersionSupported(v)).as("%s v%d", key, v).isTrue();
                }
            }
        }
        assertThat(SupportedApis.toApiVersions()).extracting(v -> ApiKeys.forId(v.apiKey())).contains(
                ApiKeys.API_VERSIONS, ApiKeys.METADATA, ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS,
                ApiKeys.CREATE_TOPICS, ApiKeys.INIT_PRODUCER_ID);
    }

    @Test
    void registryMustCoverExactlyTheAdvertisedApis() {
        Map<ApiKeys, ApiHandler> all = new EnumMap<>(ApiKeys.class);
        SupportedApis.keys().forEach(key -> all.put(key, NOOP));
        assertThat(ApiHandlers.of(all)).isNotNull();

        Map<ApiKeys, ApiHandler> missing = new EnumMap<>(all);
        missing.remove(ApiKeys.FETCH);
        assertThatThrownBy(() -> ApiHandlers.of(missing)).hasMessageContaining("FETCH");

        Map<ApiKeys, ApiHandler> extra = new EnumMap<>(all);
        extra.put(ApiKeys.DESCRIBE_DELEGATION_TOKEN, NOOP);
        assertThatThrownBy(() -> ApiHandlers.of(extra)).hasMessageContaining("DESCRIBE_DELEGATION_TOKEN");
    }
}
