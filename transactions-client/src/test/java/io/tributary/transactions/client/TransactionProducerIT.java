package io.tributary.transactions.client;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.testing.TributaryProcess;
import io.tributary.jms.TributaryConnectionFactory;
import io.tributary.security.testing.TestCertificates;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The RocketMQ-shaped {@link TransactionProducer} over the wire against a broker in this JVM (one for the
 * class, checks after 3 s, then every second, 3 checks, then {@code commit}), read by unmodified kafka-clients
 * read_uncommitted consumers and by the JMS provider; and against a child-process broker killed with
 * SIGKILL and restarted.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionProducerIT {
    private static final long DEADLINE_MS = 60_000;
    private static final String ORIGIN_HEADER = "tributary.half.origin";

    private static Broker broker;

    @BeforeAll
    static void startBroker(@TempDir Path dir) throws Exception {
        broker = Broker.start(BrokerConfig.of(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", dir.resolve("data").toString(),
                "transaction.check.timeout.ms", "3000",
                "transaction.check.interval.ms", "1000",
                "transaction.check.max", "3",
                "transaction.check.max.outcome", "commit")));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aHalfMessageIsInvisibleUntilCommittedAndHoldsBackNoOtherRecord() throws Exception {
        String topic = createTopic("invisible");
        try (KafkaConsumer<String, String> consumer = readUncommitted(broker.bootstrapServers(), topic);
             KafkaProducer<String, String> plain = plainProducer(broker.bootstrapServers());
             TransactionProducer producer = new TransactionProducer("g-invisible", broker.bootstrapServers())) {
            // Given a consumer that already reads the partition
            plain.send(new ProducerRecord<>(topic, 0, null, "before")).get(30, TimeUnit.SECONDS);
            List<String> seen = new ArrayList<>(readUntil(consumer, "before"));
            List<String> seenWhilePending = new ArrayList<>();
            producer.setTransactionListener(listener(message -> {
                // While the half message is pending, a record produced after it on the same partition is read
                try {
                    plain.send(new ProducerRecord<>(topic, 0, null, "during")).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                seenWhilePending.addAll(readUntil(consumer, "during"));
                return LocalTransactionState.COMMIT_MESSAGE;
            }, view -> LocalTransactionState.UNKNOW));
            producer.start();

            // When the local transaction commits
            TransactionSendResult result = producer.sendMessageInTransaction(
                    new Message(topic, "half".getBytes(StandardCharsets.UTF_8)).setPartition(0), null);

            // Then the half message was invisible until then, and is read once committed
            assertThat(result.getLocalTransactionState()).isEqualTo(LocalTransactionState.COMMIT_MESSAGE);
            assertThat(seen).containsExactly("before");
            assertThat(seenWhilePending).containsExactly("during");
            assertThat(readUntil(consumer, "half")).containsExactly("half");
        }
    }

    @Test
    void aRolledBackMessageNeverAppearsAndDecisionsAreFinal() throws Exception {
        String topic = createTopic("final");
        try (TransactionProducer producer = new TransactionProducer("g-final", broker.bootstrapServers());
             KafkaProducer<String, String> plain = plainProducer(broker.bootstrapServers())) {
            producer.setTransactionListener(listener(m -> "commit".equals(new String(m.getBody(), StandardCharsets.UTF_8))
                    ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.ROLLBACK_MESSAGE,
                    view -> LocalTransactionState.UNKNOW));
            producer.start();

            // When one transaction rolls back and another commits
            TransactionSendResult rolledBack = producer.sendMessageInTransaction(
                    new Message(topic, "rollback".getBytes(StandardCharsets.UTF_8)), null);
            TransactionSendResult committed = producer.sendMessageInTransaction(
                    new Message(topic, "commit".getBytes(StandardCharsets.UTF_8)), null);
            plain.send(new ProducerRecord<>(topic, 0, null, "after")).get(30, TimeUnit.SECONDS);

            // Then only the committed one is read, and neither decision can be reversed
            try (KafkaConsumer<String, String> consumer = readUncommitted(broker.bootstrapServers(), topic)) {
                assertThat(readUntil(consumer, "after")).containsExactly("commit", "after");
            }
            assertThatThrownBy(() -> producer.endTransaction(rolledBack.getTransactionId(), LocalTransactionState.COMMIT_MESSAGE))
                    .isInstanceOf(TransactionException.class)
                    .hasMessageContaining("was rolled back; it cannot be committed")
                    .satisfies(e -> assertThat(((TransactionException) e).errorCode()).isEqualTo(TransactionException.ALREADY_DECIDED));
            assertThatThrownBy(() -> producer.endTransaction(committed.getTransactionId(), LocalTransactionState.ROLLBACK_MESSAGE))
                    .isInstanceOf(TransactionException.class)
                    .hasMessageContaining("was committed; it cannot be rolled back");
            producer.endTransaction(committed.getTransactionId(), LocalTransactionState.COMMIT_MESSAGE);
            assertThatThrownBy(() -> producer.endTransaction("no-such-transaction", LocalTransactionState.COMMIT_MESSAGE))
                    .isInstanceOf(TransactionException.class)
                    .satisfies(e -> assertThat(((TransactionException) e).errorCode()).isEqualTo(TransactionException.UNKNOWN_TRANSACTION));
        }
    }

    @Test
    void aSecondInstanceAnswersTheCheckAfterTheFirstIsClosed() throws Exception {
        String topic = createTopic("second");
        String group = "g-second";
        TransactionSendResult sent;
        try (TransactionProducer first = new TransactionProducer(group, broker.bootstrapServers())) {
            first.setTransactionListener(listener(m -> LocalTransactionState.UNKNOW, view -> LocalTransactionState.UNKNOW));
            first.start();
            sent = first.sendMessageInTransaction(new Message(topic, "checked".getBytes(StandardCharsets.UTF_8)), null);
        }
        assertThat(sent.getLocalTransactionState()).isEqualTo(LocalTransactionState.UNKNOW);
        List<MessageView> checks = new CopyOnWriteArrayList<>();
        try (TransactionProducer second = new TransactionProducer(group, broker.bootstrapServers());
             KafkaConsumer<String, String> consumer = readUncommitted(broker.bootstrapServers(), topic)) {
            second.setTransactionListener(listener(m -> LocalTransactionState.UNKNOW, view -> {
                checks.add(view);
                return LocalTransactionState.COMMIT_MESSAGE;
            }));
            second.start();

            ConsumerRecord<String, String> record = readRecord(consumer, "checked");

            assertThat(checks).extracting(MessageView::transactionId).contains(sent.getTransactionId());
            MessageView check = checks.get(0);
            assertThat(new String(check.body(), StandardCharsets.UTF_8)).isEqualTo("checked");
            assertThat(check.checkTimes()).isBetween(1, 3);
            assertThat(header(record, ORIGIN_HEADER)).isEqualTo(group + "/" + sent.getTransactionId());
        }
    }

    @Test
    void anUndecidedTransactionGetsTheConfiguredOutcomeAfterTheLastCheckAndADecidedOneIsNeverChecked() throws Exception {
        String topic = createTopic("outcome");
        Set<String> checked = ConcurrentHashMap.newKeySet();
        List<Integer> checkTimes = new CopyOnWriteArrayList<>();
        try (TransactionProducer producer = new TransactionProducer("g-outcome", broker.bootstrapServers());
             KafkaConsumer<String, String> consumer = readUncommitted(broker.bootstrapServers(), topic)) {
            producer.setTransactionListener(listener(
                    m -> "decided".equals(new String(m.getBody(), StandardCharsets.UTF_8))
                            ? LocalTransactionState.ROLLBACK_MESSAGE : LocalTransactionState.UNKNOW,
                    view -> {
                        checked.add(view.transactionId());
                        checkTimes.add(view.checkTimes());
                        return LocalTransactionState.UNKNOW;
                    }));
            producer.start();
            TransactionSendResult decided = producer.sendMessageInTransaction(
                    new Message(topic, "decided".getBytes(StandardCharsets.UTF_8)), null);
            TransactionSendResult undecided = producer.sendMessageInTransaction(
                    new Message(topic, "undecided".getBytes(StandardCharsets.UTF_8)), null);

            // the broker's transaction.check.max.outcome=commit applies after the third unanswered check
            readRecord(consumer, "undecided");

            assertThat(checked).containsExactly(undecided.getTransactionId()).doesNotContain(decided.getTransactionId());
            assertThat(checkTimes).isNotEmpty().allMatch(n -> n >= 1 && n <= 3);
            assertThat(checkTimes.get(checkTimes.size() - 1)).isEqualTo(3);
        }
    }

    @Test
    void aJmsConsumerReceivesACommittedTextHalfMessageAsATextMessage() throws Exception {
        String topic = createTopic("jms");
        try (Connection connection = new TributaryConnectionFactory(broker.bootstrapServers()).createConnection();
             TransactionProducer producer = new TransactionProducer("g-jms", broker.bootstrapServers())) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic(topic));
            connection.start();
            producer.setTransactionListener(listener(m -> LocalTransactionState.COMMIT_MESSAGE,
                    view -> LocalTransactionState.UNKNOW));
            producer.start();

            producer.sendMessageInTransaction(Message.text(topic, "grüße").putUserProperty("region", "eu"), null);

            TextMessage received = (TextMessage) consumer.receive(DEADLINE_MS);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("grüße");
            assertThat(received.getStringProperty("region")).isEqualTo("eu");
        }
    }

    @Test
    void decisionsAndAPendingTransactionSurviveSigkillAndAFreshInstanceCommitsIt(@TempDir Path runDir) throws Exception {
        Map<String, String> settings = Map.of("log.dirs", runDir.resolve("data").toString(),
                "transaction.check.timeout.ms", "1000", "transaction.check.interval.ms", "1000",
                "transaction.check.max", "1000");
        TributaryProcess first = TributaryProcess.startIn(runDir.resolve("first"), System.getProperty("java.class.path"),
                settings, Duration.ofSeconds(90));
        TributaryProcess second = null;
        try {
            String topic = "crash";
            try (Admin admin = admin(first.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            TransactionSendResult sent;
            TransactionSendResult rolledBack;
            try (TransactionProducer before = new TransactionProducer("g-crash", first.bootstrapServers())) {
                before.setTransactionListener(listener(m -> switch (new String(m.getBody(), StandardCharsets.UTF_8)) {
                    case "kept" -> LocalTransactionState.COMMIT_MESSAGE;
                    case "gone" -> LocalTransactionState.ROLLBACK_MESSAGE;
                    default -> LocalTransactionState.UNKNOW;
                }, view -> LocalTransactionState.UNKNOW));
                before.start();
                before.sendMessageInTransaction(new Message(topic, "kept".getBytes(StandardCharsets.UTF_8)), null);
                rolledBack = before.sendMessageInTransaction(new Message(topic, "gone".getBytes(StandardCharsets.UTF_8)), null);
                sent = before.sendMessageInTransaction(new Message(topic, "survivor".getBytes(StandardCharsets.UTF_8)), null);
                first.child().kill();
            }

            second = TributaryProcess.startIn(runDir.resolve("second"), System.getProperty("java.class.path"), settings,
                    Duration.ofSeconds(90));
            Set<String> checked = ConcurrentHashMap.newKeySet();
            try (TransactionProducer after = new TransactionProducer("g-crash", second.bootstrapServers());
                 KafkaConsumer<String, String> consumer = readUncommitted(second.bootstrapServers(), topic)) {
                // After the restart, before any member of the group polls: the commit is there, the rest is not
                try (KafkaProducer<String, String> plain = plainProducer(second.bootstrapServers())) {
                    plain.send(new ProducerRecord<>(topic, 0, null, "marker")).get(30, TimeUnit.SECONDS);
                }
                assertThat(readUntil(consumer, "marker")).containsExactly("kept", "marker");

                after.setTransactionListener(listener(m -> LocalTransactionState.UNKNOW, view -> {
                    checked.add(view.transactionId());
                    return LocalTransactionState.COMMIT_MESSAGE;
                }));
                after.start();

                readRecord(consumer, "survivor");
                assertThat(checked).contains(sent.getTransactionId()).doesNotContain(rolledBack.getTransactionId());
                assertThatThrownBy(() -> after.endTransaction(rolledBack.getTransactionId(), LocalTransactionState.COMMIT_MESSAGE))
                        .isInstanceOf(TransactionException.class)
                        .hasMessageContaining("was rolled back; it cannot be committed");
            }
        } finally {
            first.child().kill();
            if (second != null) {
                second.child().kill();
            }
        }
    }

    @Test
    void overSaslSslWithAclsTheProducerGroupNeedsWriteAsATransactionalIdAndTheTopicWrite(@TempDir Path dir)
            throws Exception {
        // Given a SASL_SSL listener with PLAIN users admin (super user) and alice, SCRAM-SHA-256 enabled, and ACLs
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        Map<String, String> config = new java.util.HashMap<>(TributaryProcess.baseConfig(dir));
        config.put("listeners", "SASL_SSL://127.0.0.1:0");
        config.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256");
        config.put("listener.name.sasl_ssl.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain."
                + "PlainLoginModule required user_admin=\"admin-secret\" user_alice=\"alice-secret\";");
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", certs.serverKeystore().toString());
        config.put("ssl.keystore.password", TestCertificates.PASSWORD);
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("super.users", "User:admin");
        try (Broker secured = Broker.start(BrokerConfig.of(config))) {
            String bootstrap = "127.0.0.1:" + secured.port("SASL_SSL");
            Properties adminConfig = secured(certs, bootstrap, "PLAIN", "admin", "admin-secret");
            try (Admin admin = Admin.create(adminConfig);
                 TransactionProducer alice = new TransactionProducer("g-acl",
                         secured(certs, bootstrap, "PLAIN", "alice", "alice-secret"));
                 TransactionProducer bob = new TransactionProducer("g-scram",
                         secured(certs, bootstrap, "SCRAM-SHA-256", "bob", "bob-secret"));
                 TransactionProducer mallory = new TransactionProducer("g-acl",
                         secured(certs, bootstrap, "PLAIN", "alice", "wrong"))) {
                admin.createTopics(List.of(new NewTopic("acl", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
                admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                        "bob", new org.apache.kafka.clients.admin.ScramCredentialInfo(
                                org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 4096), "bob-secret")))
                        .all().get(60, TimeUnit.SECONDS);
                for (TransactionProducer producer : List.of(alice, bob, mallory)) {
                    producer.setTransactionListener(listener(m -> LocalTransactionState.COMMIT_MESSAGE,
                            view -> LocalTransactionState.UNKNOW));
                    producer.start();
                }
                Message message = new Message("acl", "v".getBytes(StandardCharsets.UTF_8));

                // When alice, authenticated over TLS, has nothing granted: TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                assertThatThrownBy(() -> alice.sendMessageInTransaction(message, null))
                        .isInstanceOf(TransactionException.class)
                        .satisfies(e -> assertThat(((TransactionException) e).errorCode()).isEqualTo((short) 53));

                // When she may WRITE the producer group as a transactional id, the topic is still refused
                admin.createAcls(List.of(acl("User:alice", org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID,
                        "g-acl"))).all().get(60, TimeUnit.SECONDS);
                assertThatThrownBy(() -> alice.sendMessageInTransaction(message, null))
                        .isInstanceOf(TransactionException.class)
                        .satisfies(e -> assertThat(((TransactionException) e).errorCode()).isEqualTo((short) 29));

                // Then with WRITE on the topic too, the half message is sent and committed
                admin.createAcls(List.of(acl("User:alice", org.apache.kafka.common.resource.ResourceType.TOPIC, "acl")))
                        .all().get(60, TimeUnit.SECONDS);
                assertThat(alice.sendMessageInTransaction(message, null).getLocalTransactionState())
                        .isEqualTo(LocalTransactionState.COMMIT_MESSAGE);

                // And bob, authenticated with SCRAM-SHA-256 and granted both, commits too
                admin.createAcls(List.of(
                        acl("User:bob", org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID, "g-scram"),
                        acl("User:bob", org.apache.kafka.common.resource.ResourceType.TOPIC, "acl")))
                        .all().get(60, TimeUnit.SECONDS);
                assertThat(bob.sendMessageInTransaction(message, null).getLocalTransactionState())
                        .isEqualTo(LocalTransactionState.COMMIT_MESSAGE);

                // And a wrong password is SASL_AUTHENTICATION_FAILED, nothing sent
                assertThatThrownBy(() -> mallory.sendMessageInTransaction(message, null))
                        .isInstanceOf(TransactionException.class)
                        .satisfies(e -> assertThat(((TransactionException) e).errorCode()).isEqualTo((short) 58));
            }
            // and the two commits are in the topic, read over SASL_SSL by a kafka-clients consumer
            adminConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(adminConfig, new StringDeserializer(),
                    new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("acl", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<ConsumerRecord<String, String>> read = new ArrayList<>();
                long deadline = System.currentTimeMillis() + DEADLINE_MS;
                while (read.size() < 2 && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                }
                assertThat(read).extracting(r -> header(r, ORIGIN_HEADER).split("/")[0])
                        .containsExactly("g-acl", "g-scram");
            }
        }
    }

    /** kafka-clients' properties for the SASL_SSL listener, as user {@code user} with {@code mechanism}. */
    private static Properties secured(TestCertificates certs, String bootstrap, String mechanism, String user,
                                      String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("security.protocol", "SASL_SSL");
        props.put("ssl.truststore.type", "JKS");
        props.put("ssl.truststore.location", certs.clientTruststore().toString());
        props.put("ssl.truststore.password", TestCertificates.PASSWORD);
        props.put("sasl.mechanism", mechanism);
        props.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return props;
    }

    private static org.apache.kafka.common.acl.AclBinding acl(String principal,
                                                              org.apache.kafka.common.resource.ResourceType type,
                                                              String name) {
        return new org.apache.kafka.common.acl.AclBinding(
                new org.apache.kafka.common.resource.ResourcePattern(type, name,
                        org.apache.kafka.common.resource.PatternType.LITERAL),
                new org.apache.kafka.common.acl.AccessControlEntry(principal, "*",
                        org.apache.kafka.common.acl.AclOperation.WRITE, org.apache.kafka.common.acl.AclPermissionType.ALLOW));
    }

    private static TransactionListener listener(Function<Message, LocalTransactionState> execute,
                                                Function<MessageView, LocalTransactionState> check) {
        return new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message message, Object arg) {
                return execute.apply(message);
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageView message) {
                return check.apply(message);
            }
        };
    }

    private static String createTopic(String name) throws Exception {
        try (Admin admin = admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        return name;
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static KafkaProducer<String, String> plainProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> readUncommitted(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    /** Every value read until {@code last} (included). */
    private static List<String> readUntil(KafkaConsumer<String, String> consumer, String last) {
        List<String> values = new ArrayList<>();
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!values.contains(last)) {
            assertThat(System.currentTimeMillis()).as("'%s' read, so far %s", last, values).isLessThan(deadline);
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private static ConsumerRecord<String, String> readRecord(KafkaConsumer<String, String> consumer, String value) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (true) {
            assertThat(System.currentTimeMillis()).as("'%s' read", value).isLessThan(deadline);
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (value.equals(record.value())) {
                    return record;
                }
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
