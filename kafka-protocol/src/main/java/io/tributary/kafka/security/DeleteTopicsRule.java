package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static io.tributary.kafka.security.ResourceRule.namedTwice;
import static io.tributary.kafka.security.ResourceRule.takeOut;

/**
 * DeleteTopics as Kafka's controller authorizes it: DELETE on the cluster, else on each topic. A name the principal
 * may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED whether it exists or not; one it may describe but not delete is
 * refused only if it exists (else UNKNOWN_TOPIC_OR_PARTITION, from the handler). An id of no topic is
 * UNKNOWN_TOPIC_ID; a refused id is answered with its name only if the principal may DESCRIBE the topic. The
 * results come in random order, as Kafka's controller shuffles them.
 *
 * <p>With {@code delete.topic.enable=false} Kafka's controller fails the whole request before it asks the
 * authorizer anything, so this rule then refuses nothing and the handler answers every topic
 * TOPIC_DELETION_DISABLED.
 */
final class DeleteTopicsRule implements ResourceRule {
    private final boolean deletionEnabled;

    /** @param deletionEnabled the broker's {@code delete.topic.enable} */
    DeleteTopicsRule(boolean deletionEnabled) {
        this.deletionEnabled = deletionEnabled;
    }

    @Override
    public Refusals split(Access a, ApiMessage message) {
        if (!deletionEnabled) {
            return null;
        }
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) message;
        List<DeletableTopicResult> refused = a.mayOnCluster(Operation.DELETE) ? List.of() : refuseTopics(a, request);
        return Refusals.of(!refused.isEmpty() && request.topicNames().isEmpty() && request.topics().isEmpty(),
                DeleteTopicsResponseData::new, m -> {
                    DeleteTopicsResponseData response = (DeleteTopicsResponseData) m;
                    refused.forEach(r -> response.responses().add(r));
                    shuffle(response.responses());
                });
    }

    /**
     * Takes the topics Kafka refuses to delete out of {@code request} and answers them. A name or id named twice
     * stays for the handler, which answers it INVALID_REQUEST as Kafka does before it asks the authorizer.
     */
    private static List<DeletableTopicResult> refuseTopics(Access a, DeleteTopicsRequestData request) {
        List<Object> named = new ArrayList<>(request.topicNames());
        request.topics().forEach(t -> named.add(byName(t) ? t.name() : t.topicId()));
        Set<Object> twice = namedTwice(named, k -> k);
        List<DeletableTopicResult> refused = new ArrayList<>();
        takeOut(request.topicNames(), name -> !twice.contains(name) && refusedName(a, name)).forEach(name ->
                refused.add(refusal(name, Uuid.ZERO_UUID)));
        takeOut(request.topics(), t -> {
            if (twice.contains(byName(t) ? t.name() : t.topicId())) {
                return false;
            }
            if (byName(t)) {
                return refusedName(a, t.name());
            }
            String name = t.name() == null ? a.topicName(null, t.topicId()) : null;
            return name != null && !a.may(Operation.DELETE, ResourceType.TOPIC, name);
        }).forEach(t -> {
            String name = t.name() != null ? t.name() : a.topicName(null, t.topicId());
            boolean byId = t.name() == null;
            refused.add(refusal(byId && !a.may(Operation.DESCRIBE, ResourceType.TOPIC, name) ? null : name,
                    byId ? t.topicId() : Uuid.ZERO_UUID));
        });
        return refused;
    }

    private static boolean byName(DeleteTopicsRequestData.DeleteTopicState topic) {
        return topic.name() != null && (topic.topicId() == null || Uuid.ZERO_UUID.equals(topic.topicId()));
    }

    private static DeletableTopicResult refusal(String name, Uuid id) {
        return new DeletableTopicResult().setName(name).setTopicId(id)
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
    }

    /**
     * Puts the results in random order, as Kafka does so that a client cannot tell from their positions a topic
     * that does not exist from one it may not see.
     */
    private static void shuffle(DeleteTopicsResponseData.DeletableTopicResultCollection results) {
        List<DeletableTopicResult> order = new ArrayList<>(results);
        Collections.shuffle(order);
        order.forEach(results::moveToEnd);
    }

    /** A topic named for deletion that Kafka refuses: not describable, or describable, existing and not deletable. */
    private static boolean refusedName(Access a, String name) {
        if (!a.may(Operation.DESCRIBE, ResourceType.TOPIC, name)) {
            return true;
        }
        return a.topicExists(name) && !a.may(Operation.DELETE, ResourceType.TOPIC, name);
    }
}
