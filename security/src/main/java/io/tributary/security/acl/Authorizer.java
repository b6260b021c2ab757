package io.tributary.security.acl;

import io.tributary.security.Principal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides requests as Kafka's {@code StandardAuthorizer} does:
 * <ol>
 *   <li>a super user ({@code super.users}, e.g. {@code User:admin;User:ops}) may do anything;</li>
 *   <li>a DENY binding matching the principal (or {@code User:*}), the host (or {@code *}), the
 *       operation (or ALL) and the resource (literal, wildcard or prefix) refuses;</li>
 *   <li>else a matching ALLOW binding allows; an ALLOW of READ, WRITE, DELETE or ALTER also allows
 *       DESCRIBE, and of ALTER_CONFIGS also DESCRIBE_CONFIGS;</li>
 *   <li>else, if no binding at all covers the resource, {@code allow.everyone.if.no.acl.found}
 *       decides (default false); otherwise the request is refused.</li>
 * </ol>
 * Reads take the store's current list without a lock; any thread.
 */
public final class Authorizer {
    public static final String CLASS_NAME = "authorizer.class.name";
    public static final String SUPER_USERS = "super.users";
    public static final String ALLOW_IF_NO_ACL = "allow.everyone.if.no.acl.found";
    public static final Set<String> KEYS = Set.of(CLASS_NAME, SUPER_USERS, ALLOW_IF_NO_ACL);
    /** The authorizer class names that turn this authorizer on: Kafka's KRaft one and its older ZooKeeper one. */
    public static final Set<String> KAFKA_AUTHORIZERS = Set.of(
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "kafka.security.authorizer.AclAuthorizer");

    private final AclStore store;
    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;

    private Authorizer(AclStore store, Set<String> superUsers, boolean allowIfNoAcl) {
        this.store = store;
        this.superUsers = superUsers;
        this.allowIfNoAcl = allowIfNoAcl;
    }

    /**
     * The authorizer {@code authorizer.class.name} asks for, or {@code null} when it is unset (no
     * authorization, as in Kafka).
     *
     * @throws IllegalArgumentException for another class name, naming the key
     */
    public static Authorizer fromKafkaKeys(Map<String, String> settings, AclStore store) {
        String className = settings.getOrDefault(CLASS_NAME, "").trim();
        if (className.isEmpty()) {
            return null;
        }
        if (!KAFKA_AUTHORIZERS.contains(className)) {
            throw new IllegalArgumentException(CLASS_NAME + "=" + className + " is not supported; use "
                    + "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        }
        Set<String> superUsers = Arrays.stream(settings.getOrDefault(SUPER_USERS, "").split(";"))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        String allow = settings.getOrDefault(ALLOW_IF_NO_ACL, "false").trim();
        if (!allow.equalsIgnoreCase("true") && !allow.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(ALLOW_IF_NO_ACL + " must be true or false, got '" + allow + "'");
        }
        return new Authorizer(store, superUsers, Boolean.parseBoolean(allow));
    }

    /** Whether {@code principal} connected from {@code host} (an IP address) may do {@code operation} to the resource. */
    public boolean authorize(Principal principal, String host, Operation operation, ResourceType type, String name) {
        String who = principal.toString();
        if (superUsers.contains(who)) {
            return true;
        }
        boolean covered = false;
        boolean allowed = false;
        for (AclBinding b : store.bindings()) {
            if (!b.covers(type, name)) {
                continue;
            }
            covered = true;
            if (!(b.principal().equals(who) || b.principal().equals(AclBinding.WILDCARD_PRINCIPAL))
                    || !(b.host().equals(host) || b.host().equals(AclBinding.WILDCARD))) {
                continue;
            }
            if (b.permission() == Permission.DENY) {
                if (b.operation() == operation || b.operation() == Operation.ALL) {
                    return false;
                }
            } else if (b.operation() == Operation.ALL || b.operation().allowedWith().contains(operation)) {
                allowed = true;
            }
        }
        return allowed || (!covered && allowIfNoAcl);
    }

    /**
     * Whether {@code principal} may do {@code operation} to some resource of {@code type}, as Kafka's
     * {@code authorizeByResourceType} answers (what an idempotent producer needs: WRITE on any topic):
     * a super user, or an ALLOW binding of the principal for the operation on some resource of the
     * type, unless a DENY of it covers every resource of the type (the literal wildcard).
     */
    public boolean authorizeAny(Principal principal, String host, Operation operation, ResourceType type) {
        String who = principal.toString();
        if (superUsers.contains(who)) {
            return true;
        }
        boolean allowed = false;
        for (AclBinding b : store.bindings()) {
            if (b.resourceType() != type
                    || !(b.principal().equals(who) || b.principal().equals(AclBinding.WILDCARD_PRINCIPAL))
                    || !(b.host().equals(host) || b.host().equals(AclBinding.WILDCARD))
                    || !(b.operation() == operation || b.operation() == Operation.ALL)) {
                continue;
            }
            if (b.permission() == Permission.DENY) {
                if (b.patternType() == PatternType.LITERAL && b.resourceName().equals(AclBinding.WILDCARD)) {
                    return false;
                }
            } else {
                allowed = true;
            }
        }
        return allowed;
    }

    /** The bindings {@code filter} matches. */
    public List<AclBinding> describe(AclFilter filter) {
        return store.bindings().stream().filter(filter::matches).toList();
    }

    /** Adds {@code bindings} (an existing one is kept once). */
    public void create(List<AclBinding> bindings) {
        store.update(current -> {
            current.addAll(bindings);
            return current;
        });
    }

    /** Removes every binding each filter matches; returns, per filter, what it removed. */
    public List<List<AclBinding>> delete(List<AclFilter> filters) {
        List<List<AclBinding>> removed = new ArrayList<>();
        store.update(current -> {
            for (AclFilter filter : filters) {
                removed.add(current.stream().filter(filter::matches).toList());
            }
            current.removeIf(b -> filters.stream().anyMatch(f -> f.matches(b)));
            return current;
        });
        return removed;
    }
}
