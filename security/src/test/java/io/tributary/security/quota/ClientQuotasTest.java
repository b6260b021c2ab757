package io.tributary.security.quota;

import io.tributary.security.quota.ClientQuotaStore.Alteration;
import io.tributary.security.quota.QuotaEntity.Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClientQuotasTest {
    @TempDir
    Path dir;

    @Test
    void theMostSpecificEntityWinsInKafkasOrderForEachQuotaKindSeparately() throws Exception {
        ClientQuotaStore store = ClientQuotaStore.open(dir);
        ClientQuotas quotas = ClientQuotas.fromKafkaKeys(Map.of(), store);
        QuotaType produce = QuotaType.PRODUCER_BYTE_RATE;
        List<QuotaEntity> fromLeastToMostSpecific = List.of(
                QuotaEntity.clientId(Name.DEFAULT), QuotaEntity.clientId(Name.of("app")),
                QuotaEntity.user(Name.DEFAULT), new QuotaEntity(Name.DEFAULT, Name.DEFAULT),
                new QuotaEntity(Name.DEFAULT, Name.of("app")), QuotaEntity.user(Name.of("alice")),
                new QuotaEntity(Name.of("alice"), Name.DEFAULT), new QuotaEntity(Name.of("alice"), Name.of("app")));
        assertThat(quotas.limit(produce, "alice", "app")).isNull();
        for (int i = 0; i < fromLeastToMostSpecific.size(); i++) {
            store.apply(List.of(new Alteration(fromLeastToMostSpecific.get(i), produce, 1000.0 + i)));
            assertThat(quotas.limit(produce, "alice", "app").entity()).isEqualTo(fromLeastToMostSpecific.get(i));
            assertThat(quotas.limit(produce, "alice", "app").bound()).isEqualTo(1000.0 + i);
        }
        // another user falls back to the user=<default>, client-id=app entity; another kind has no quota
        assertThat(quotas.limit(produce, "bob", "app").entity()).isEqualTo(new QuotaEntity(Name.DEFAULT, Name.of("app")));
        assertThat(quotas.limit(QuotaType.CONSUMER_BYTE_RATE, "alice", "app")).isNull();
    }

    @Test
    void quotasSurviveReopeningAndRemovalsTakeThemAway() throws Exception {
        ClientQuotaStore store = ClientQuotaStore.open(dir);
        QuotaEntity odd = new QuotaEntity(Name.of("us\ter=-<default>"), Name.DEFAULT);
        store.apply(List.of(new Alteration(odd, QuotaType.PRODUCER_BYTE_RATE, 1024.0),
                new Alteration(odd, QuotaType.REQUEST_PERCENTAGE, 12.5),
                new Alteration(QuotaEntity.clientId(Name.of("c")), QuotaType.CONSUMER_BYTE_RATE, 10.0)));
        store.apply(List.of(new Alteration(QuotaEntity.clientId(Name.of("c")), QuotaType.CONSUMER_BYTE_RATE, null)));

        ClientQuotaStore reopened = ClientQuotaStore.open(dir);

        assertThat(reopened.all()).containsOnlyKeys(odd);
        assertThat(reopened.get(odd)).containsEntry(QuotaType.PRODUCER_BYTE_RATE, 1024.0)
                .containsEntry(QuotaType.REQUEST_PERCENTAGE, 12.5);
    }

    @Test
    void aClientOverItsByteRateIsThrottledForTheTimeTheExcessTakesAtTheQuota() throws Exception {
        ClientQuotaStore store = ClientQuotaStore.open(dir);
        store.apply(List.of(new Alteration(QuotaEntity.clientId(Name.DEFAULT), QuotaType.PRODUCER_BYTE_RATE, 1000.0)));
        ClientQuotas quotas = ClientQuotas.fromKafkaKeys(Map.of(ClientQuotas.WINDOW_NUM, "3"), store);
        long now = 1_000_000;

        // Within the burst the span allows (2 whole windows of 1 s at 1000 B/s): no throttle
        assertThat(quotas.recordAndGetThrottleMs(QuotaType.PRODUCER_BYTE_RATE, "u", "a", 1500, now)).isZero();
        // 4000 B over a span of 2 s is 2000 B/s: the 2000 B excess take 2 s at the quota
        long throttle = quotas.recordAndGetThrottleMs(QuotaType.PRODUCER_BYTE_RATE, "u", "a", 2500, now);
        assertThat((double) throttle).isCloseTo(2000, within(1.0));
        // client ids each have their own budget under client-id=<default>
        assertThat(quotas.recordAndGetThrottleMs(QuotaType.PRODUCER_BYTE_RATE, "u", "b", 1500, now)).isZero();
        // once the windows have passed, the client is within its quota again
        assertThat(quotas.recordAndGetThrottleMs(QuotaType.PRODUCER_BYTE_RATE, "u", "a", 100, now + 3_100)).isZero();
    }

    @Test
    void aUserQuotaIsOneBudgetForAllItsClientsAndRequestThrottlesAreBoundedByOneWindow() throws Exception {
        ClientQuotaStore store = ClientQuotaStore.open(dir);
        store.apply(List.of(new Alteration(QuotaEntity.user(Name.of("u")), QuotaType.CONSUMER_BYTE_RATE, 1000.0),
                new Alteration(QuotaEntity.user(Name.of("u")), QuotaType.REQUEST_PERCENTAGE, 1.0)));
        ClientQuotas quotas = ClientQuotas.fromKafkaKeys(Map.of(ClientQuotas.WINDOW_NUM, "3"), store);
        long now = 5_000;

        assertThat(quotas.recordAndGetThrottleMs(QuotaType.CONSUMER_BYTE_RATE, "u", "a", 1900, now)).isZero();
        assertThat(quotas.recordAndGetThrottleMs(QuotaType.CONSUMER_BYTE_RATE, "u", "b", 1900, now)).isPositive();
        // 500 ms of handling time is 50 percent-seconds against a 1 % quota: far over, but at most one window
        assertThat(quotas.recordAndGetThrottleMs(QuotaType.REQUEST_PERCENTAGE, "u", "a",
                ClientQuotas.requestPercentSeconds(500_000_000L), now)).isEqualTo(1000);
    }
}
