package io.tributary.kafka.security;

import org.apache.kafka.common.protocol.ApiMessage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The per-resource authorization of one API, as Kafka's {@code KafkaApis} does it for requests naming many
 * topics, groups, transactional ids or config resources: the resources the principal may not use are taken
 * out of the request (which the handler then serves as if they had not been named) and answered with their
 * own error (TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, ...) beside the rest. Runs after the
 * API's whole-request {@link ApiRules rule} (a transactional id, the group of an offset commit).
 */
interface ResourceRule {
    /** Takes the refused resources out of {@code request}; {@code null} when none was refused. */
    Refusals split(Access access, ApiMessage request);

    /**
     * The keys named more than once among {@code items}. Kafka's controller answers such a topic INVALID_REQUEST
     * before it authorizes anything, so a rule leaves them in the request for the handler, which does the same.
     */
    static <T> Set<Object> namedTwice(Collection<T> items, Function<T, Object> key) {
        Set<Object> seen = new HashSet<>();
        Set<Object> twice = new HashSet<>();
        for (T item : items) {
            Object k = key.apply(item);
            if (!seen.add(k)) {
                twice.add(k);
            }
        }
        return twice;
    }

    /** Removes from {@code items} and answers, in their order, those {@code refused} holds for. */
    static <T> List<T> takeOut(Collection<T> items, Predicate<T> refused) {
        List<T> taken = new ArrayList<>();
        for (Iterator<T> it = items.iterator(); it.hasNext(); ) {
            T item = it.next();
            if (refused.test(item)) {
                taken.add(item);
                it.remove();
            }
        }
        return taken;
    }
}
