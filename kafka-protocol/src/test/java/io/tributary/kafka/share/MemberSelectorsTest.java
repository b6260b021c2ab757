package io.tributary.kafka.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class MemberSelectorsTest {
    private final MemberSelectors selectors = new MemberSelectors();

    private static String encoded(String selector) {
        return URLEncoder.encode(selector, StandardCharsets.UTF_8);
    }

    @Test
    void aQueueSelectorKeepsRefusedRecordsAndASubscriptionSelectorArchivesThem() {
        String text = "note = 'a#b' AND n > 1";

        MemberSelectors.MemberSelector queue = selectors.of("jms-consumer-1#selector=" + encoded(text));
        MemberSelectors.MemberSelector subscription = selectors.of("jms-consumer-1#subscription-selector="
                + encoded(text));

        assertThat(queue.selector().toString()).isEqualTo(text);
        assertThat(queue.archivesRefused()).isFalse();
        assertThat(subscription.selector().toString()).isEqualTo(text);
        assertThat(subscription.archivesRefused()).isTrue();
        assertThat(selectors.of("jms-consumer-1#selector=" + encoded(text))).isSameAs(queue);
    }

    @Test
    void onlyASubscriptionMemberHasADefinitionItsTopicsAndSelectorPart() {
        String red = "jms-consumer-1#subscription-selector=" + encoded("color = 'red'");

        assertThat(MemberSelectors.subscriptionDefinition(red, List.of("b", "a")))
                .isEqualTo(MemberSelectors.subscriptionDefinition("jms-consumer-2#subscription-selector="
                        + encoded("color = 'red'"), List.of("a", "b")));
        assertThat(MemberSelectors.subscriptionDefinition(red, List.of("a")))
                .isNotEqualTo(MemberSelectors.subscriptionDefinition(red, List.of("b")))
                .isNotEqualTo(MemberSelectors.subscriptionDefinition("jms-consumer-1#subscription-selector=",
                        List.of("a")));
        assertThat(MemberSelectors.subscriptionDefinition("jms-consumer-1#selector=" + encoded("x > 1"),
                List.of("a"))).as("a queue receiver").isNull();
        assertThat(MemberSelectors.subscriptionDefinition("console-share-consumer", List.of("a"))).isNull();
        assertThat(MemberSelectors.subscriptionDefinition(red, null)).as("not joining").isNull();
    }

    @Test
    void aClientIdWithoutASelectorOrWithABlankOneSelectsEverything() {
        assertThat(selectors.of(null)).isNull();
        assertThat(selectors.of("console-share-consumer")).isNull();
        assertThat(selectors.of("producer#fsync")).isNull();
        assertThat(selectors.of("c#selector=" + encoded("  "))).isNull();
    }

    @Test
    void anInvalidOrBadlyEncodedSelectorIsRefusedSayingWhy() {
        assertThatThrownBy(() -> selectors.of("c#selector=" + encoded("n = ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid message selector");
        assertThatThrownBy(() -> selectors.of("c#selector=n%2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percent-encoded");
    }
}
