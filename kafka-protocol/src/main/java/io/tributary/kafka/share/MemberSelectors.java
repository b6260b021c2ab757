package io.tributary.kafka.share;

import io.tributary.jms.selector.Selector;
import io.tributary.jms.selector.SelectorSyntaxException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message selector a share-group member asks for, read from its client id. The client id ends in one of
 *
 * <pre>
 *   #selector=&lt;selector&gt;               acquire only what the selector accepts; the rest stays available to
 *                                        the other members (a JMS queue receiver)
 *   #subscription-selector=&lt;selector&gt;  the same, and a record it refuses is archived when this member reads it:
 *                                        it is not part of the group (a JMS shared subscription's selector)
 * </pre>
 *
 * where {@code <selector>} is the selector's text percent-encoded as {@link java.net.URLEncoder} does (so it holds
 * no {@code #}). A Tributary extension that needs no new request field: kafka-clients' {@code KafkaShareConsumer}
 * lets an application set {@code client.id} and nothing else, and a real Kafka broker reads such a client id as
 * just a name (docs/protocol.md, decision 0026).
 *
 * <p>Parsed selectors are cached by client id (a member sends the same one with every ShareFetch); the cache is
 * emptied when it reaches {@value #MAX_CACHED} entries rather than tracking use.
 */
final class MemberSelectors {
    /** Starts a queue member's selector: what it refuses stays available to the others. */
    static final String SELECTOR = "#selector=";
    /** Starts a subscription's selector: what it refuses is archived. */
    static final String SUBSCRIPTION_SELECTOR = "#subscription-selector=";
    private static final int MAX_CACHED = 4096;

    private final Map<String, MemberSelector> cache = new ConcurrentHashMap<>();

    /** A member's selector, and whether the records it refuses are archived. */
    record MemberSelector(Selector selector, boolean archivesRefused) {
    }

    /**
     * What a shared-subscription member requires the group's other members to agree on: its subscribed topics and
     * the selector text its client id carries after {@value #SUBSCRIPTION_SELECTOR} (possibly empty: a subscription
     * without a selector), or null for a member whose client id has no such part (a queue receiver, any other share
     * consumer). Passed to the delivery engine as the member's definition on joining
     * ({@code ShareHeartbeat.Request#definition}), which refuses a member whose definition differs from a current
     * member's: two JMS consumers creating one shared subscription with different topics or selectors at the same
     * moment cannot both join (decision 0035).
     */
    static String subscriptionDefinition(String clientId, List<String> subscribedTopics) {
        if (clientId == null || subscribedTopics == null) {
            return null;
        }
        int at = clientId.lastIndexOf(SUBSCRIPTION_SELECTOR);
        if (at < 0) {
            return null;
        }
        List<String> topics = new ArrayList<>(subscribedTopics);
        Collections.sort(topics);
        return "topics=" + topics + " selector=" + clientId.substring(at + SUBSCRIPTION_SELECTOR.length());
    }

    /**
     * The selector {@code clientId} asks for, or {@code null} when it asks for none (no suffix, or a blank
     * selector).
     *
     * @throws IllegalArgumentException if the selector part is not a valid (percent-encoded) selector, saying why
     */
    MemberSelector of(String clientId) {
        if (clientId == null || clientId.indexOf('#') < 0) {
            return null;
        }
        MemberSelector cached = cache.get(clientId);
        if (cached != null) {
            return cached;
        }
        boolean subscription = true;
        int at = clientId.lastIndexOf(SUBSCRIPTION_SELECTOR);
        int textAt = at + SUBSCRIPTION_SELECTOR.length();
        if (at < 0) {
            subscription = false;
            at = clientId.lastIndexOf(SELECTOR);
            textAt = at + SELECTOR.length();
        }
        if (at < 0) {
            return null;
        }
        Selector selector;
        try {
            selector = Selector.parse(URLDecoder.decode(clientId.substring(textAt), StandardCharsets.UTF_8));
        } catch (SelectorSyntaxException e) {
            throw new IllegalArgumentException("invalid message selector in the client id: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the message selector in the client id is not percent-encoded: "
                    + e.getMessage(), e);
        }
        if (selector.selectsAll()) {
            return null;
        }
        MemberSelector member = new MemberSelector(selector, subscription);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(clientId, member);
        return member;
    }
}
