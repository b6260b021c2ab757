package io.tributary.compat.tools;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tributary.compat.tools.KafkaTool.ACLS;
import static io.tributary.compat.tools.KafkaTool.CONFIGS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafka-acls and kafka-configs' SCRAM and client-quota commands against a broker child process with the standard
 * authorizer; the tools connect as {@code User:ANONYMOUS}, made a super user. The expected output is
 * what the same commands print against Kafka 4.4.
 */
@Timeout(180)
class SecurityToolsIT {
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("security-tools",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:ANONYMOUS");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void kafkaAclsAddsListsAndRemovesBindings() throws Exception {
        ACLS.command(broker.bootstrapServers(), "--add", "--allow-principal", "User:alice", "--operation", "Read",
                "--operation", "Write", "--topic", "acl-topic").run().assertSuccess();
        ACLS.command(broker.bootstrapServers(), "--add", "--allow-principal", "User:alice", "--operation", "Read",
                "--group", "app-", "--resource-pattern-type", "prefixed").run().assertSuccess();

        Result listed = ACLS.command(broker.bootstrapServers(), "--list", "--topic", "acl-topic").run().assertSuccess();
        assertThat(listed.stdout()).contains("ResourcePattern(resourceType=TOPIC, name=acl-topic, patternType=LITERAL)")
                .contains("(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)")
                .contains("(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)");
        Result all = ACLS.command(broker.bootstrapServers(), "--list").run().assertSuccess();
        assertThat(all.stdout()).contains("ResourcePattern(resourceType=GROUP, name=app-, patternType=PREFIXED)");

        ACLS.command(broker.bootstrapServers(), "--remove", "--force", "--topic", "acl-topic").run().assertSuccess();
        Result after = ACLS.command(broker.bootstrapServers(), "--list").run().assertSuccess();
        assertThat(after.stdout()).doesNotContain("acl-topic").contains("name=app-");
    }

    @Test
    void kafkaConfigsAddsDescribesAndDeletesScramCredentials() throws Exception {
        // Both mechanisms in one command (the example of Kafka's docs) are one AlterUserScramCredentials request
        // changing one user twice, which a KRaft Kafka refuses, and so does Tributary (SecurityDifferentialIT)
        Result both = CONFIGS.command(broker.bootstrapServers(), "--alter", "--add-config",
                "SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=alice-secret]",
                "--entity-type", "users", "--entity-name", "alice").run();
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.stdout() + both.stderr())
                .contains("A user credential cannot be altered twice in the same request");
        CONFIGS.command(broker.bootstrapServers(), "--alter", "--add-config",
                "SCRAM-SHA-256=[iterations=8192,password=alice-secret]",
                "--entity-type", "users", "--entity-name", "alice").run().assertSuccess();
        CONFIGS.command(broker.bootstrapServers(), "--alter", "--add-config", "SCRAM-SHA-512=[password=alice-secret]",
                "--entity-type", "users", "--entity-name", "alice").run().assertSuccess();

        Result described = CONFIGS.command(broker.bootstrapServers(), "--describe", "--entity-type", "users",
                "--entity-name", "alice").run().assertSuccess();
        assertThat(described.stdout()).contains("SCRAM credential configs for user-principal 'alice' are ")
                .contains("SCRAM-SHA-256=iterations=8192").contains("SCRAM-SHA-512=iterations=4096");

        CONFIGS.command(broker.bootstrapServers(), "--alter", "--delete-config", "SCRAM-SHA-512",
                "--entity-type", "users", "--entity-name", "alice").run().assertSuccess();
        Result after = CONFIGS.command(broker.bootstrapServers(), "--describe", "--entity-type", "users",
                "--entity-name", "alice").run().assertSuccess();
        assertThat(after.stdout()).contains("SCRAM-SHA-256=iterations=8192").doesNotContain("SCRAM-SHA-512");
    }

    @Test
    void kafkaConfigsAddsDescribesAndDeletesClientQuotas() throws Exception {
        CONFIGS.command(broker.bootstrapServers(), "--alter", "--add-config",
                "producer_byte_rate=1048576,consumer_byte_rate=2097152", "--entity-type", "clients",
                "--entity-name", "billing").run().assertSuccess();
        CONFIGS.command(broker.bootstrapServers(), "--alter", "--add-config", "request_percentage=50",
                "--entity-type", "users", "--entity-default").run().assertSuccess();

        Result client = CONFIGS.command(broker.bootstrapServers(), "--describe", "--entity-type", "clients",
                "--entity-name", "billing").run().assertSuccess();
        assertThat(client.stdout()).contains("Quota configs for client-id 'billing' are ")
                .contains("producer_byte_rate=1048576.0").contains("consumer_byte_rate=2097152.0");
        Result users = CONFIGS.command(broker.bootstrapServers(), "--describe", "--entity-type", "users",
                "--entity-default").run().assertSuccess();
        assertThat(users.stdout()).contains("Quota configs for the default user-principal are request_percentage=50.0");

        CONFIGS.command(broker.bootstrapServers(), "--alter", "--delete-config", "producer_byte_rate",
                "--entity-type", "clients", "--entity-name", "billing").run().assertSuccess();
        Result after = CONFIGS.command(broker.bootstrapServers(), "--describe", "--entity-type", "clients",
                "--entity-name", "billing").run().assertSuccess();
        assertThat(after.stdout()).contains("consumer_byte_rate=2097152.0").doesNotContain("producer_byte_rate");
    }
}
