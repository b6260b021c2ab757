package io.tributary.security.acl;

import io.tributary.security.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tributary.security.acl.Operation.*;
import static io.tributary.security.acl.ResourceType.GROUP;
import static io.tributary.security.acl.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class AuthorizerTest {
    private static final Principal ALICE = Principal.user("alice");
    private static final Principal BOB = Principal.user("bob");
    private static final String HOST = "10.0.0.1";

    @TempDir
    Path dir;

    @Test
    void literalPrefixedAndWildcardAllowWithImpliedDescribe() throws Exception {
        Authorizer authz = authorizer(Map.of());
        authz.create(List.of(
                allow(TOPIC, "orders", PatternType.LITERAL, "User:alice", READ),
                allow(TOPIC, "logs-", PatternType.PREFIXED, "User:alice", WRITE),
                allow(GROUP, "*", PatternType.LITERAL, "User:*", READ)));

        assertThat(authz.authorize(ALICE, HOST, READ, TOPIC, "orders")).isTrue();
        assertThat(authz.authorize(ALICE, HOST, DESCRIBE, TOPIC, "orders")).as("DESCRIBE implied by READ").isTrue();
        assertThat(authz.authorize(ALICE, HOST, WRITE, TOPIC, "orders")).isFalse();
        assertThat(authz.authorize(ALICE, HOST, WRITE, TOPIC, "logs-app")).isTrue();
        assertThat(authz.authorize(ALICE, HOST, WRITE, TOPIC, "log")).isFalse();
        assertThat(authz.authorize(BOB, HOST, READ, GROUP, "any-group")).isTrue();
        assertThat(authz.authorize(BOB, HOST, READ, TOPIC, "orders")).isFalse();
    }

    @Test
    void denyWinsOverAllowAndHostsMatchExactlyOrByWildcard() throws Exception {
        Authorizer authz = authorizer(Map.of());
        authz.create(List.of(
                allow(TOPIC, "*", PatternType.LITERAL, "User:*", ALL),
                new AclBinding(TOPIC, "secret", PatternType.LITERAL, "User:alice", HOST, READ, Permission.DENY)));

        assertThat(authz.authorize(ALICE, HOST, READ, TOPIC, "secret")).isFalse();
        assertThat(authz.authorize(ALICE, "10.0.0.2", READ, TOPIC, "secret")).isTrue();
        assertThat(authz.authorize(ALICE, HOST, WRITE, TOPIC, "secret")).isTrue();
        assertThat(authz.authorize(ALICE, HOST, DESCRIBE, TOPIC, "secret")).as("a DENY implies nothing").isTrue();
    }

    @Test
    void superUsersAndAllowEveryoneIfNoAclFound() throws Exception {
        Authorizer strict = authorizer(Map.of("super.users", "User:admin; User:ops"));
        assertThat(strict.authorize(Principal.user("ops"), HOST, ALTER, ResourceType.CLUSTER, "kafka-cluster")).isTrue();
        assertThat(strict.authorize(ALICE, HOST, READ, TOPIC, "t")).isFalse();

        Authorizer open = authorizer(Map.of("allow.everyone.if.no.acl.found", "true"));
        assertThat(open.authorize(ALICE, HOST, READ, TOPIC, "t")).isTrue();
        open.create(List.of(allow(TOPIC, "t", PatternType.LITERAL, "User:bob", READ)));
        assertThat(open.authorize(ALICE, HOST, READ, TOPIC, "t")).as("covered by an ACL for someone else").isFalse();
    }

    @Test
    void bindingsSurviveAReopenAndFiltersDescribeAndDeleteAsKafkas() throws Exception {
        Authorizer authz = authorizer(Map.of());
        authz.create(List.of(allow(TOPIC, "orders", PatternType.LITERAL, "User:alice", READ),
                allow(TOPIC, "ord", PatternType.PREFIXED, "User:bob", READ),
                allow(GROUP, "g", PatternType.LITERAL, "User:alice", READ)));
        Authorizer reopened = authorizer(Map.of());

        AclFilter match = new AclFilter(TOPIC, "orders", PatternType.MATCH, null, null, ANY, Permission.ANY);
        assertThat(reopened.describe(match)).hasSize(2);
        AclFilter alice = new AclFilter(ResourceType.ANY, null, PatternType.ANY, "User:alice", null, ANY, Permission.ANY);
        assertThat(reopened.delete(List.of(alice))).singleElement().asList().hasSize(2);
        assertThat(authorizer(Map.of()).describe(
                new AclFilter(ResourceType.ANY, null, PatternType.ANY, null, null, ANY, Permission.ANY))).hasSize(1);
    }

    @Test
    void anotherAuthorizerClassIsRefusedAndNoneMeansNoAuthorization() throws Exception {
        assertThat(Authorizer.fromKafkaKeys(Map.of(), AclStore.open(dir))).isNull();
        assertThatThrownBy(() -> Authorizer.fromKafkaKeys(Map.of("authorizer.class.name", "com.example.Custom"),
                AclStore.open(dir))).hasMessageContaining("authorizer.class.name");
    }

    private Authorizer authorizer(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(extra);
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        return Authorizer.fromKafkaKeys(settings, AclStore.open(dir));
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal, Operation op) {
        return new AclBinding(type, name, pattern, principal, "*", op, Permission.ALLOW);
    }
}
