package io.tributary.jms;

import org.apache.kafka.clients.admin.ShareMemberAssignment;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How a share-group member's definition is read from what the broker describes. */
class SharedSubscriptionsTest {
    private static ShareMemberDescription member(String clientId, String... topics) {
        Set<TopicPartition> partitions = new java.util.HashSet<>();
        for (String t : topics) {
            partitions.add(new TopicPartition(t, 0));
        }
        return new ShareMemberDescription("m", Optional.empty(), clientId, "/127.0.0.1",
                new ShareMemberAssignment(partitions), 1);
    }

    @Test
    void aProviderMemberDiffersByItsSelectorOrAssignedTopic() {
        ShareMemberDescription red = member("jms-consumer-c1#subscription-selector=color+%3D+%27red%27", "prices");

        assertThat(SharedSubscriptions.differs(red, "prices", "color = 'red'")).isFalse();
        assertThat(SharedSubscriptions.differs(red, "prices", "color = 'blue'")).isTrue();
        assertThat(SharedSubscriptions.differs(red, "prices", null)).isTrue();
        assertThat(SharedSubscriptions.differs(red, "orders", "color = 'red'")).isTrue();
    }

    @Test
    void aMemberWithoutPartitionsIsComparedBySelectorAndAForeignOneByTopic() {
        ShareMemberDescription joining = member("jms-consumer-c2");
        ShareMemberDescription kafka = member("my-share-consumer", "prices");

        assertThat(SharedSubscriptions.differs(joining, "anything", null)).isFalse();
        assertThat(SharedSubscriptions.differs(joining, "anything", "a > 1")).isTrue();
        assertThat(SharedSubscriptions.differs(kafka, "prices", "a > 1")).as("its selector is unknown").isFalse();
        assertThat(SharedSubscriptions.differs(kafka, "orders", null)).isTrue();
        ShareMemberDescription noSelector = member("jms-consumer-c3#subscription-selector=", "prices");
        assertThat(SharedSubscriptions.differs(noSelector, "prices", null)).as("an empty selector part").isFalse();
        assertThat(SharedSubscriptions.differs(noSelector, "prices", "a > 1")).isTrue();
    }
}
