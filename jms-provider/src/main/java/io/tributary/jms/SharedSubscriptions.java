package io.tributary.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * What a shared subscription is (its topic and selector), checked against the broker when a consumer is created,
 * so that the rule of Jakarta Messaging 3.1 holds across connections and JVMs: a consumer on an existing shared
 * subscription with another topic or selector fails while the subscription has active consumers, and otherwise
 * replaces it (the old one is deleted, the new one starts at the topic's end).
 *
 * <p>The broker knows the subscription two ways: its share group's members (a member's client id carries its
 * selector, {@link ShareReader#clientId}, and the member lists its subscribed topic), and the
 * group config {@value #DEFINITION}, which the provider sets to {@link #definition} (kept while no consumer is
 * open, and across restarts). A broker that refuses the config (a Kafka broker) is checked by members only.
 *
 * <p>These checks give the reasons and replace a durable subscription; what makes the rule hold when two consumers
 * are created at the same moment is the broker: a member's client id says it belongs to a shared subscription (it
 * carries {@link ShareReader#SUBSCRIPTION_SELECTOR}, empty without a selector), and the broker lets it
 * join only with the topic and selector of the group's current members, atomically with the join; the other
 * consumer's join is refused with INCONSISTENT_GROUP_PROTOCOL ({@link #refused}, decision 0035). The definition is
 * recorded once the consumer has joined ({@link #record}), so a refused consumer never records its own.
 */
final class SharedSubscriptions {
    /** The group config that holds a shared subscription's definition (a Tributary extension). */
    static final String DEFINITION = "tributary.jms.subscription";
    private static final String CLIENT_PREFIX = "jms-consumer-";
    private static final long JOIN_POLL_MS = 20;

    private SharedSubscriptions() {
    }

    /** A subscription's definition as kept in {@value #DEFINITION}. */
    static String definition(String topic, String selector) {
        return "topic=" + topic + " selector=" + (selector == null ? "" : selector);
    }

    /**
     * Before a consumer of shared subscription {@code group} on {@code topic} with {@code selector} (null for none)
     * is created: fails if the subscription has active consumers (open in {@code connection}, or members at the
     * broker) with another definition; replaces it if it has none and its recorded definition differs.
     *
     * @throws IllegalStateException if active consumers have another topic or selector
     */
    static void open(TributaryConnection connection, String group, String topic, String selector)
            throws JMSException {
        String wanted = definition(topic, selector);
        for (TributaryMessageConsumer c : connection.openShareConsumers()) {
            if (group.equals(c.shareGroup())) {
                String theirs = definition(c.destination().name(), c.selectorText());
                if (!theirs.equals(wanted)) {
                    throw differs(group, theirs, wanted);
                }
            }
        }
        Admin admin = connection.admin();
        long timeout = connection.options().sendTimeoutMs();
        try {
            List<ShareMemberDescription> members = members(admin, group, timeout);
            for (ShareMemberDescription member : members) {
                if (differs(member, topic, selector)) {
                    throw differs(group, describe(member), wanted);
                }
            }
            String recorded = recorded(admin, group, timeout);
            if (recorded != null && !recorded.isEmpty() && !recorded.equals(wanted) && members.isEmpty()) {
                // no consumer is active: the old subscription is deleted and this one is created
                ShareGroups.delete(connection, group);
            }
        } catch (ExecutionException e) {
            throw Errors.cause("cannot check shared subscription " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot check shared subscription " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted checking shared subscription " + group, e);
        }
    }

    /** The broker refused a consumer's join: the subscription's members have another topic or selector. */
    static IllegalStateException refused(String group, String topic, String selector, Exception cause) {
        IllegalStateException e = new IllegalStateException("shared subscription " + group + " has active consumers"
                + " with another topic or selector (this consumer: " + definition(topic, selector) + "); close them,"
                + " or use another name: " + cause.getMessage());
        e.setLinkedException(cause);
        e.initCause(cause);
        return e;
    }

    private static IllegalStateException differs(String group, String theirs, String wanted) {
        return new IllegalStateException("shared subscription " + group + " has active consumers with another topic"
                + " or selector (" + theirs + "; this consumer: " + wanted + "); close them, or use another name");
    }

    /** The group's members, empty when there is no such group or it is empty. */
    private static List<ShareMemberDescription> members(Admin admin, String group, long timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            ShareGroupDescription d = admin.describeShareGroups(List.of(group)).describedGroups().get(group)
                    .get(timeout, TimeUnit.MILLISECONDS);
            if (d.groupState() == GroupState.DEAD) {
                return List.of();
            }
            return new ArrayList<>(d.members());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * Whether a member of the group consumes with another definition than {@code topic} and {@code selector}: the
     * selector its client id carries, and the topic of the partitions assigned to it (not compared while it has
     * none). A member that is not this provider's (any other share consumer) has an unknown selector: only its
     * topic is compared.
     */
    static boolean differs(ShareMemberDescription member, String topic, String selector) {
        Set<String> topics = member.assignment() == null ? Set.of() : member.assignment().topicPartitions().stream()
                .map(TopicPartition::topic).collect(Collectors.toSet());
        if (!topics.isEmpty() && !topics.equals(Set.of(topic))) {
            return true;
        }
        String clientId = member.clientId();
        if (clientId == null || !clientId.startsWith(CLIENT_PREFIX)) {
            return false;
        }
        return !Objects.equals(selector, selector(clientId));
    }

    /** The selector a shared-subscription consumer's client id carries, or null. */
    private static String selector(String clientId) {
        int at = clientId.lastIndexOf(ShareReader.SUBSCRIPTION_SELECTOR);
        if (at < 0 || at + ShareReader.SUBSCRIPTION_SELECTOR.length() == clientId.length()) {
            return null;
        }
        try {
            return URLDecoder.decode(clientId.substring(at + ShareReader.SUBSCRIPTION_SELECTOR.length()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return clientId.substring(at);
        }
    }

    /** A member's definition, for a message: its assigned topics and its client id. */
    private static String describe(ShareMemberDescription member) {
        return "a consumer with client id " + member.clientId() + " on " + (member.assignment() == null ? "[]"
                : member.assignment().topicPartitions());
    }

    /**
     * Runs {@code poll} (which has the consumer's share consumer join, and throws if the broker refused it) until the
     * broker lists a member of {@code group} with {@code clientId}, at most {@code sendTimeoutMs}: a consumer just
     * created counts as active for the next one only once it has joined.
     */
    static void awaitMember(TributaryConnection connection, String group, String clientId, Runnable poll)
            throws JMSException {
        long timeout = connection.options().sendTimeoutMs();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        try {
            while (System.nanoTime() < deadline) {
                poll.run();
                for (ShareMemberDescription m : members(connection.admin(), group, timeout)) {
                    if (clientId.equals(m.clientId())) {
                        return;
                    }
                }
                Thread.sleep(JOIN_POLL_MS);
            }
        } catch (ExecutionException e) {
            throw Errors.cause("cannot describe shared subscription " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot describe shared subscription " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted joining shared subscription " + group, e);
        }
        // not listed in time: the consumer works; the broker still checks its definition when it joins
    }

    private static String recorded(Admin admin, String group, long timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(resource)).all()
                .get(timeout, TimeUnit.MILLISECONDS);
        Config config = configs.get(resource);
        ConfigEntry entry = config == null ? null : config.get(DEFINITION);
        return entry == null ? null : entry.value();
    }

    /** Records {@code topic} and {@code selector} as the definition of {@code group}, unless they are already. */
    static void record(TributaryConnection connection, String group, String topic, String selector)
            throws JMSException {
        String wanted = definition(topic, selector);
        long timeout = connection.options().sendTimeoutMs();
        try {
            if (!wanted.equals(recorded(connection.admin(), group, timeout))) {
                record(connection.admin(), group, wanted, timeout);
            }
        } catch (ExecutionException e) {
            throw Errors.cause("cannot record shared subscription " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot record shared subscription " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted recording shared subscription " + group, e);
        }
    }

    private static void record(Admin admin, String group, String definition, long timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        AlterConfigOp op = new AlterConfigOp(new ConfigEntry(DEFINITION, definition), AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof InvalidConfigurationException
                    || e.getCause() instanceof InvalidRequestException)) {
                throw e;
            }
            // a broker without the extension (Kafka): the members are all it knows
        }
    }
}
