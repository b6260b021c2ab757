package io.tributary.kafka.api;

import io.tributary.pipeline.Durability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProduceDurabilityTest {
    @Test
    void aClientIdEndingInFsyncAsksForAnFsyncAndAnyOtherFollowsTheFlushPolicy() {
        assertThat(ProduceDurability.of("jms-producer-1234#fsync")).isEqualTo(Durability.FSYNC);
        assertThat(ProduceDurability.of("#fsync")).isEqualTo(Durability.FSYNC);
        assertThat(ProduceDurability.of("jms-producer-1234")).isEqualTo(Durability.FLUSH_POLICY);
        assertThat(ProduceDurability.of("#fsync-not-at-the-end")).isEqualTo(Durability.FLUSH_POLICY);
        assertThat(ProduceDurability.of("")).isEqualTo(Durability.FLUSH_POLICY);
        assertThat(ProduceDurability.of(null)).isEqualTo(Durability.FLUSH_POLICY);
    }
}
