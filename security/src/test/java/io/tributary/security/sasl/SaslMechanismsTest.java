package io.tributary.security.sasl;

import io.tributary.security.Principal;
import org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The servers against Kafka's own SASL clients (kafka-clients' PLAIN and SCRAM implementations). */
@Timeout(30)
class SaslMechanismsTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice \\\"quoted\\\"\";";

    @TempDir
    Path dir;

    @BeforeAll
    static void kafkaScramClient() {
        ScramSaslClientProvider.initialize();
    }

    @Test
    void jaasLineIsParsedAsKafkaWritesIt() {
        JaasConfig jaas = JaasConfig.parse(JAAS);

        assertThat(jaas.loginModule()).isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule");
        assertThat(jaas.plainUsers()).containsExactly(Map.entry("admin", "admin-secret"),
                Map.entry("alice", "alice \"quoted\""));
        assertThatThrownBy(() -> JaasConfig.parse("PlainLoginModule required user_a=\"x\"")).hasMessageContaining(";");
    }

    @Test
    void plainAcceptsAStaticUserAndRefusesAWrongPassword() throws Exception {
        SaslMechanisms sasl = SaslMechanisms.fromKafkaKeys(Map.of("sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS), "SASL_PLAINTEXT", store());

        assertThat(run(kafkaClient("PLAIN", "alice", "alice \"quoted\""), sasl.newSession("PLAIN")))
                .isEqualTo(Principal.user("alice"));
        assertThatThrownBy(() -> run(kafkaClient("PLAIN", "alice", "wrong"), sasl.newSession("PLAIN")))
                .isInstanceOf(SaslFailure.class).hasMessage("Authentication failed: Invalid username or password");
        assertThatThrownBy(() -> run(kafkaClient("PLAIN", "mallory", "admin-secret"), sasl.newSession("PLAIN")))
                .isInstanceOf(SaslFailure.class);
        assertThat(sasl.newSession("SCRAM-SHA-256")).isNull();
    }

    @Test
    void scramAcceptsTheStoredPasswordForBothMechanismsAndSurvivesAReopen() throws Exception {
        ScramCredentialStore store = store();
        store.apply(List.of(), List.of(
                Map.entry("bob", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_256, "bob-pw", salt(), 4096)),
                Map.entry("bob", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, "bob-pw", salt(), 8192))));
        ScramCredentialStore reopened = ScramCredentialStore.open(dir);
        SaslMechanisms sasl = SaslMechanisms.fromKafkaKeys(
                Map.of("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512"), "SASL_SSL", reopened);

        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            assertThat(run(kafkaClient(mechanism, "bob", "bob-pw"), sasl.newSession(mechanism)))
                    .isEqualTo(Principal.user("bob"));
            assertThatThrownBy(() -> run(kafkaClient(mechanism, "bob", "not-bob-pw"), sasl.newSession(mechanism)))
                    .isInstanceOf(SaslFailure.class).hasMessageContaining("invalid credentials");
            assertThatThrownBy(() -> run(kafkaClient(mechanism, "nobody", "bob-pw"), sasl.newSession(mechanism)))
                    .isInstanceOf(SaslFailure.class);
        }
        assertThat(reopened.all().get("bob")).extracting(ScramCredential::iterations).containsExactly(4096, 8192);

        reopened.apply(List.of(Map.entry("bob", ScramMechanism.SCRAM_SHA_256)), List.of());
        assertThat(ScramCredentialStore.open(dir).get("bob", ScramMechanism.SCRAM_SHA_256)).isNull();
        assertThat(ScramCredentialStore.open(dir).get("bob", ScramMechanism.SCRAM_SHA_512)).isNotNull();
    }

    @Test
    void unsupportedOrDefaultMechanismsAndPlainWithoutUsersAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> SaslMechanisms.fromKafkaKeys(Map.of(), "SASL_SSL", store()))
                .hasMessageContaining("GSSAPI").hasMessageContaining("sasl.enabled.mechanisms");
        assertThatThrownBy(() -> SaslMechanisms.fromKafkaKeys(Map.of("sasl.enabled.mechanisms", "PLAIN"), "EXT", store()))
                .hasMessageContaining("listener.name.ext.plain.sasl.jaas.config");
    }

    private ScramCredentialStore store() {
        try {
            return ScramCredentialStore.open(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        return salt;
    }

    private static SaslClient kafkaClient(String mechanism, String user, String password) throws Exception {
        return Sasl.createSaslClient(new String[] {mechanism}, null, "kafka", "localhost", Map.of(), callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback pw) {
                    pw.setPassword(password.toCharArray());
                }
            }
        });
    }

    /** Runs the exchange to its end; returns the server's principal, or throws the server's failure. */
    private static Principal run(SaslClient client, SaslServerSession server) throws Exception {
        byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
        while (true) {
            byte[] challenge = server.evaluate(token);
            if (server.complete()) {
                if (!client.isComplete()) {
                    client.evaluateChallenge(challenge);
                }
                assertThat(client.isComplete()).as("client accepted the server's final message").isTrue();
                return server.principal();
            }
            token = client.evaluateChallenge(challenge);
            assertThat(new String(token, StandardCharsets.UTF_8)).isNotNull();
        }
    }
}
