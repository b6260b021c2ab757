package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand;
import io.tributary.compat.RequiredTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafkajs with SASL PLAIN and SCRAM-SHA-256 over {@code SASL_PLAINTEXT} ({@code clients/kafkajs_sasl.js}):
 * admin, producer and group consumer authenticated as a static JAAS user or a SCRAM user created through the
 * Admin API; a wrong password ends in kafkajs's SASL authentication error. kafkajs comes from where {@link KafkaJsIT} finds it.
 */
@Timeout(150)
class KafkaJsSaslIT {
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kafkajs-sasl", "listeners=SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config="
                        + "org.apache.kafka.common.security.plain.PlainLoginModule required user_js=\"js-secret\";");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void plainUserProducesAndConsumesAndAWrongPasswordIsRefused() throws Exception {
        Map<String, String> out = runScript("plain", "js", "js-secret", "kafkajs-sasl");

        assertThat(out).containsEntry("created", "true").containsEntry("consumed", "a,b,c")
                .containsEntry("wrong_password_error", "KafkaJSSASLAuthenticationError");
    }

    @Test
    void scramSha256UserCreatedWithTheAdminApiProducesAndConsumesAndAWrongPasswordIsRefused() throws Exception {
        RequiredTool.onPath("node");
        // Given a SCRAM user made through kafka-clients' Admin (kafkajs has no SCRAM credential API)
        Map<String, Object> admin = Map.of("bootstrap.servers", broker.bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"js\" password=\"js-secret\";");
        try (org.apache.kafka.clients.admin.Admin client = org.apache.kafka.clients.admin.Admin.create(admin)) {
            client.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    "scram-js", new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 4096), "scram-js-secret")))
                    .all().get();
        }

        Map<String, String> out = runScript("scram-sha-256", "scram-js", "scram-js-secret", "kafkajs-scram");

        assertThat(out).containsEntry("created", "true").containsEntry("consumed", "a,b,c")
                .containsEntry("wrong_password_error", "KafkaJSSASLAuthenticationError");
    }

    private Map<String, String> runScript(String mechanism, String user, String password, String topic) throws Exception {
        Path node = RequiredTool.onPath("node");
        Path nodeDir = Path.of(System.getenv().getOrDefault("TRIBUTARY_NODE_DIR",
                Path.of(System.getProperty("user.home"), ".cache", "tributary", "node").toString()));
        Path script = Path.of(getClass().getResource("/clients/kafkajs_sasl.js").toURI());
        return ScriptOutput.parse(ExternalCommand.of(List.of(node.toString(), script.toString(),
                broker.bootstrapServers(), mechanism, user, password, "not-" + password, topic))
                .withEnvironment(Map.of("NODE_PATH", nodeDir.resolve("node_modules").toString()))
                .withTimeout(Duration.ofSeconds(90)).run().assertSuccess());
    }
}
