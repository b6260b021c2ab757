package io.tributary.kafka.security;

import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import io.tributary.security.Principal;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.TreeSet;

/**
 * The authorization questions of one request: its principal and client host, asked of the
 * {@link Authorizer}. Each {@code require*} throws Kafka's exception for the first refusal, which the
 * {@link AuthorizationGate} turns into the API's own error response.
 */
final class Access {
    private final Authorizer authorizer;
    private final LogManager log;
    private final Principal principal;
    private final String host;
    private final short apiVersion;

    Access(Authorizer authorizer, LogManager log, RequestContext context) {
        this.authorizer = authorizer;
        this.log = log;
        this.apiVersion = context.request().apiVersion();
        this.principal = context.principal();
        this.host = context.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    /** The request's version: some checks exist only from a version on (FindCoordinator's share keys, v6). */
    short apiVersion() {
        return apiVersion;
    }

    boolean may(Operation operation, ResourceType type, String name) {
        return authorizer.authorize(principal, host, operation, type, name);
    }

    boolean mayOnCluster(Operation operation) {
        return may(operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }

    /** WRITE on some topic: what an idempotent producer without IDEMPOTENT_WRITE on the cluster needs. */
    boolean mayWriteSomeTopic() {
        return authorizer.authorizeAny(principal, host, Operation.WRITE, ResourceType.TOPIC);
    }

    void requireCluster(Operation operation) {
        if (!mayOnCluster(operation)) {
            throw new ClusterAuthorizationException("Cluster authorization failed.");
        }
    }

    void requireGroup(Operation operation, String group) {
        if (!may(operation, ResourceType.GROUP, group)) {
            throw new GroupAuthorizationException("Not authorized to access group: " + group, group);
        }
    }

    void requireTransactionalId(Operation operation, String id) {
        if (!may(operation, ResourceType.TRANSACTIONAL_ID, id)) {
            throw new TransactionalIdAuthorizationException("Transactional Id authorization failed.");
        }
    }

    /** Topics named by name, or (name empty or null) by id; ids of no topic are left to the handler. */
    void requireTopics(Operation operation, Iterable<String> names) {
        Set<String> refused = new TreeSet<>();
        for (String name : names) {
            if (name != null && !may(operation, ResourceType.TOPIC, name)) {
                refused.add(name);
            }
        }
        if (!refused.isEmpty()) {
            throw new TopicAuthorizationException(refused);
        }
    }

    /** Whether {@code topic} exists and has partition {@code partition}. */
    boolean partitionExists(String topic, int partition) {
        return log.topic(topic).map(t -> partition >= 0 && partition < t.partitionCount()).orElse(false);
    }

    /** Whether a topic of this name exists. */
    boolean topicExists(String topic) {
        return log.topic(topic).isPresent();
    }

    /** The topic name of {@code name}, else of {@code id}, else {@code null}. */
    String topicName(String name, Uuid id) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        if (id == null || id.equals(Uuid.ZERO_UUID)) {
            return null;
        }
        return Topics.byId(log, id).map(Topic::name).orElse(null);
    }
}
