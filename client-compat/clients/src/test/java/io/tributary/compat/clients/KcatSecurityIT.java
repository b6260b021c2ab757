package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand;
import io.tributary.compat.ExternalCommand.Result;
import io.tributary.compat.RequiredTool;
import io.tributary.security.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kcat (librdkafka) over TLS with SASL PLAIN: a broker with one {@code SASL_SSL} listener configured
 * with Kafka's keys; kcat verifies the broker certificate against its PEM and authenticates as a
 * static JAAS user. A wrong password is refused.
 */
@Timeout(120)
class KcatSecurityIT {
    @TempDir
    static Path certDir;
    private static TestCertificates certs;
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        certs = TestCertificates.create(certDir);
        broker = ChildBroker.start("kcat-sasl-ssl",
                "listeners=SASL_SSL://127.0.0.1:0",
                "sasl.enabled.mechanisms=PLAIN",
                "listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required user_alice=\"alice-secret\";",
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + certs.serverKeystore(),
                "ssl.keystore.password=" + TestCertificates.PASSWORD);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void produceAndConsumeOverSaslSslWithPlain() throws Exception {
        Path kcat = RequiredTool.onPath("kcat");
        List<String> lines = List.of("one", "two", "three");

        kcat(kcat, "alice-secret", "-P", "-t", "kcat-secure", "-p", "0")
                .withStdin(String.join("\n", lines) + "\n").run().assertSuccess();
        Result consumed = kcat(kcat, "alice-secret", "-C", "-t", "kcat-secure", "-p", "0", "-o", "beginning", "-e",
                "-f", "%s\\n").run().assertSuccess();

        assertThat(consumed.lines()).containsExactlyElementsOf(lines);
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Path kcat = RequiredTool.onPath("kcat");

        Result refused = kcat(kcat, "wrong", "-L", "-m", "5").withTimeout(Duration.ofSeconds(60)).run();

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stdout() + refused.stderr()).contains("Authentication failed");
    }

    private static ExternalCommand kcat(Path kcat, String password, String... args) {
        List<String> command = new ArrayList<>(List.of(kcat.toString(), "-b", broker.bootstrapServers(),
                "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=PLAIN",
                "-X", "sasl.username=alice", "-X", "sasl.password=" + password,
                "-X", "ssl.ca.location=" + certs.serverCertificatePem()));
        command.addAll(List.of(args));
        return ExternalCommand.of(command);
    }
}
