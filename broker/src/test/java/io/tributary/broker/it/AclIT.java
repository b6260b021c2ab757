package io.tributary.broker.it;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.testing.TributaryProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ACLs with kafka-clients 4.4 over SASL PLAIN: a super user creates bindings through the Admin API,
 * and the other users are allowed, refused (TopicAuthorizationException, GroupAuthorizationException)
 * and shown only the topics they may describe, as by Kafka's StandardAuthorizer; with
 * {@code delete.topic.enable=false} a deletion is refused whole, whoever asks, as by Kafka's controller.
 */
@Timeout(180)
class AclIT {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_admin=\"admin-secret\" user_alice=\"alice-secret\" user_bob=\"bob-secret\";";

    @TempDir
    Path dataDir;

    @Test
    void aclsAllowRefuseAndHideAsKafkasStandardAuthorizer() throws Exception {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        config.put("sasl.enabled.mechanisms", "PLAIN");
        config.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS);
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("super.users", "User:admin");
        config.put("delete.topic.enable", "false");
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            assertThat(broker.ignoredKeys()).isEmpty();
            String bootstrap = "127.0.0.1:" + broker.port("SASL_PLAINTEXT");

            // Given alice may write and read "orders" and read group "g-alice"; bob has nothing
            try (Admin admin = admin(bootstrap, "admin", "admin-secret")) {
                admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1), new NewTopic("secret", 1, (short) 1)))
                        .all().get();
                admin.createAcls(List.of(
                        acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.WRITE),
                        acl(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:alice", AclOperation.READ),
                        acl(ResourceType.GROUP, "g-alice", PatternType.LITERAL, "User:alice", AclOperation.READ)))
                        .all().get();
                assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).hasSize(3);
            }

            // Then alice produces and consumes in her group
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, client("alice", "alice-secret"))) {
                producer.send(new ProducerRecord<>("orders", bytes("o-1"))).get();
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "alice", "alice-secret", "g-alice")) {
                consumer.subscribe(List.of("orders"));
                int read = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (read == 0 && System.nanoTime() < deadline) {
                    read += consumer.poll(Duration.ofMillis(500)).count();
                }
                assertThat(read).isEqualTo(1);
                consumer.commitSync();
            }
            // But not in a group she may not read
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "alice", "alice-secret", "g-other")) {
                consumer.subscribe(List.of("orders"));
                assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(20)))
                        .isInstanceOf(GroupAuthorizationException.class);
            }
            // And bob may neither write nor see the topic
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, client("bob", "bob-secret"))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("orders", bytes("b-1"))).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            try (Admin alice = admin(bootstrap, "alice", "alice-secret"); Admin bob = admin(bootstrap, "bob", "bob-secret")) {
                assertThat(alice.listTopics().names().get()).containsExactly("orders");
                assertThat(bob.listTopics().names().get()).isEmpty();
            }
            // And with delete.topic.enable=false a deletion is refused whole before any ACL is asked, as Kafka's
            // controller refuses it: bob, who may not even see the topics, is told what the admin is told
            try (Admin bob = admin(bootstrap, "bob", "bob-secret");
                 Admin admin = admin(bootstrap, "admin", "admin-secret")) {
                for (Admin who : List.of(bob, admin)) {
                    assertThatThrownBy(() -> who.deleteTopics(List.of("orders", "secret")).all().get())
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(TopicDeletionDisabledException.class);
                }
                assertThat(admin.listTopics().names().get()).contains("orders", "secret");
            }

            // When the admin deletes alice's topic ACLs, she is refused too
            try (Admin admin = admin(bootstrap, "admin", "admin-secret")) {
                var deleted = admin.deleteAcls(List.of(new AclBindingFilter(
                        new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.ANY),
                        new AccessControlEntryFilter("User:alice", null, AclOperation.ANY, AclPermissionType.ANY))))
                        .all().get();
                assertThat(deleted).hasSize(2);
            }
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, client("alice", "alice-secret"))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("orders", bytes("o-2"))).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }

        // And the remaining binding survives a restart
        try (Broker broker = Broker.start(BrokerConfig.of(config));
             Admin admin = admin("127.0.0.1:" + broker.port("SASL_PLAINTEXT"), "admin", "admin-secret")) {
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).singleElement()
                    .satisfies(b -> assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.GROUP));
        }
    }

    @Test
    void transactionalIdsAndShareGroupsNeedTheirAcls() throws Exception {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        config.put("sasl.enabled.mechanisms", "PLAIN");
        config.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS);
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("super.users", "User:admin");
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            String bootstrap = "127.0.0.1:" + broker.port("SASL_PLAINTEXT");
            // Given alice may write and read "jobs", use transactional id "tx-alice" and read share group "s-alice"
            try (Admin admin = admin(bootstrap, "admin", "admin-secret")) {
                admin.createTopics(List.of(new NewTopic("jobs", 1, (short) 1))).all().get();
                admin.createAcls(List.of(
                        acl(ResourceType.TOPIC, "jobs", PatternType.LITERAL, "User:alice", AclOperation.WRITE),
                        acl(ResourceType.TOPIC, "jobs", PatternType.LITERAL, "User:alice", AclOperation.READ),
                        acl(ResourceType.TRANSACTIONAL_ID, "tx-alice", PatternType.LITERAL, "User:alice",
                                AclOperation.WRITE),
                        acl(ResourceType.GROUP, "s-alice", PatternType.LITERAL, "User:alice", AclOperation.READ)))
                        .all().get();
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, "s-alice"),
                        List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                                AlterConfigOp.OpType.SET)))).all().get();
            }

            // Then her transactional producer commits under its id
            Map<String, Object> tx = new HashMap<>(client("alice", "alice-secret"));
            tx.put("transactional.id", "tx-alice");
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, tx)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("jobs", bytes("j-1")));
                producer.commitTransaction();
            }
            // but not under another id
            Map<String, Object> other = new HashMap<>(client("alice", "alice-secret"));
            other.put("transactional.id", "tx-other");
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, other)) {
                assertThatThrownBy(producer::initTransactions)
                        .isInstanceOf(TransactionalIdAuthorizationException.class);
            }
            // and ListTransactions shows her only the ids she may describe, as Kafka filters it
            Map<String, Object> adminTx = new HashMap<>(client("admin", "admin-secret"));
            adminTx.put("transactional.id", "tx-admin");
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, adminTx)) {
                producer.initTransactions();
            }
            try (Admin alice = admin(bootstrap, "alice", "alice-secret");
                 Admin admin = admin(bootstrap, "admin", "admin-secret")) {
                assertThat(alice.listTransactions().all().get())
                        .extracting(org.apache.kafka.clients.admin.TransactionListing::transactionalId)
                        .containsExactly("tx-alice");
                assertThat(admin.listTransactions().all().get())
                        .extracting(org.apache.kafka.clients.admin.TransactionListing::transactionalId)
                        .containsExactlyInAnyOrder("tx-alice", "tx-admin");
            }

            // And her share consumer reads the committed record in her share group
            try (KafkaShareConsumer<byte[], byte[]> consumer = shareConsumer(bootstrap, "s-alice")) {
                consumer.subscribe(List.of("jobs"));
                int read = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (read == 0 && System.nanoTime() < deadline) {
                    read += consumer.poll(Duration.ofMillis(500)).count();
                }
                assertThat(read).isEqualTo(1);
            }
            // but is refused in a share group she may not read
            try (KafkaShareConsumer<byte[], byte[]> consumer = shareConsumer(bootstrap, "s-other")) {
                consumer.subscribe(List.of("jobs"));
                assertThatThrownBy(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (System.nanoTime() < deadline) {
                        consumer.poll(Duration.ofMillis(500));
                    }
                }).isInstanceOf(GroupAuthorizationException.class);
            }
        }
    }

    private static KafkaShareConsumer<byte[], byte[]> shareConsumer(String bootstrap, String group) {
        Map<String, Object> p = new HashMap<>(client("alice", "alice-secret"));
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        return new KafkaShareConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> client(String user, String password) {
        return SaslIT.client("SASL_PLAINTEXT", "PLAIN", user, password);
    }

    private static Admin admin(String bootstrap, String user, String password) {
        Map<String, Object> p = new HashMap<>(client(user, password));
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", 10_000);
        p.put("default.api.timeout.ms", 15_000);
        return Admin.create(p);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String user, String password, String group) {
        Map<String, Object> p = new HashMap<>(client(user, password));
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", false);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
