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
 * kafkajs with SASL PLAIN over {@code SASL_PLAINTEXT} ({@code clients/kafkajs_sasl.js}): admin, producer and
 * group consumer authenticated as a static JAAS user; a wrong password ends in kafkajs's SASL
 * authentication error. kafkajs comes from where {@link KafkaJsIT} finds it.
 */
@Timeout(150)
class KafkaJsSaslIT {
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kafkajs-sasl", "listeners=SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.enabled.mechanisms=PLAIN",
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
        Path node = RequiredTool.onPath("node");
        Path nodeDir = Path.of(System.getenv().getOrDefault("TRIBUTARY_NODE_DIR",
                Path.of(System.getProperty("user.home"), ".cache", "tributary", "node").toString()));
        Path script = Path.of(getClass().getResource("/clients/kafkajs_sasl.js").toURI());

        Map<String, String> out = ScriptOutput.parse(ExternalCommand.of(List.of(node.toString(), script.toString(),
                broker.bootstrapServers(), "plain", "js", "js-secret", "not-js-secret", "kafkajs-sasl"))
                .withEnvironment(Map.of("NODE_PATH", nodeDir.resolve("node_modules").toString()))
                .withTimeout(Duration.ofSeconds(90)).run().assertSuccess());

        assertThat(out).containsEntry("created", "true").containsEntry("consumed", "a,b,c")
                .containsEntry("wrong_password_error", "KafkaJSSASLAuthenticationError");
    }
}
