package io.tributary.differential;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11's security configured the same way on both brokers — a {@code SASL_PLAINTEXT} listener with PLAIN users
 * from a static JAAS line and SCRAM users created through the Admin API, {@code StandardAuthorizer},
 * {@code super.users=User:admin}, {@code allow.everyone.if.no.acl.found=false} — and the same client calls on
 * both: failed logins, refusals for a topic or group without ACLs, ACL administration with LITERAL and PREFIXED
 * patterns, DENY over ALLOW, SCRAM credential administration, and requests that name allowed and refused resources
 * together (Produce, OffsetCommit, DeleteTopics, DescribeConfigs, batched FindCoordinator and OffsetFetch,
 * Metadata with auto-creation, ShareFetch through a KafkaShareConsumer, OffsetForLeaderEpoch), where Kafka answers
 * each resource on its own and serves the allowed ones, and FindCoordinator for share partitions (CLUSTER_ACTION). One secured pair serves every method; each
 * method uses its own topic, group and ACL names, so their order does not matter.
 *
 * <p>Kafka applies ACL and SCRAM changes a moment after answering (its controller commits them, then its broker's
 * authorizer and credential cache take them from the metadata log), so every change is followed by a wait until
 * the broker's own DescribeAcls / DescribeUserScramCredentials shows it, on both brokers alike.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecurityDifferentialIT {
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" "
            + "user_admin=\"admin-secret\" user_alice=\"alice-secret\" user_bob=\"bob-secret\";";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required;";

    /** The security lines both brokers get, on top of {@link BrokerPair#COMMON}. */
    private static final Map<String, String> SECURED = Map.of(
            "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_USERS,
            "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", SCRAM_LOGIN,
            "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", SCRAM_LOGIN,
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users", "User:admin",
            "allow.everyone.if.no.acl.found", "false",
            "auto.create.topics.enable", "true");

    /**
     * Kafka's own plumbing: its controller listener must authenticate the broker as a super user too (the
     * controller authorizes broker registration), and the inter-broker listener is the client one.
     */
    private static final Map<String, String> KAFKA_PLUMBING = Map.of(
            "listener.security.protocol.map", "CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
            "sasl.mechanism.controller.protocol", "PLAIN",
            "sasl.mechanism.inter.broker.protocol", "PLAIN",
            "listener.name.controller.sasl.enabled.mechanisms", "PLAIN",
            "listener.name.controller.plain.sasl.jaas.config", PLAIN_USERS);

    private static BrokerPair brokers;
    private static Map<String, Admin> admins = Map.of();

    @BeforeAll
    static void startSecuredPair() throws Exception {
        Map<String, String> common = new HashMap<>(BrokerPair.COMMON);
        common.putAll(SECURED);
        Map<String, String> kafkaOnly = new HashMap<>(BrokerPair.KAFKA_ONLY);
        kafkaOnly.putAll(KAFKA_PLUMBING);
        brokers = BrokerPair.start(common, kafkaOnly,
                new ClientListener("SASL_PLAINTEXT", login("PLAIN", "admin", "admin-secret")));
        admins = Differential.admins(brokers);
    }

    @AfterAll
    static void stopSecuredPair() {
        try {
            admins.values().forEach(Admin::close);
        } finally {
            admins = Map.of();
            if (brokers != null) {
                brokers.close();
                brokers = null;
            }
        }
    }

    @Test
    @Timeout(60)
    void wrongPasswordsAndUnknownUsersAreRefused() {
        differential("ok alice/PLAIN=error SaslAuthenticationException nobody/PLAIN=error SaslAuthenticationException"
                        + " alice/SCRAM-SHA-256=error SaslAuthenticationException",
                (b, admin) -> "ok alice/PLAIN=" + listTopicsAs(b, login("PLAIN", "alice", "wrong"))
                        + " nobody/PLAIN=" + listTopicsAs(b, login("PLAIN", "nobody", "x"))
                        + " alice/SCRAM-SHA-256=" + listTopicsAs(b, login("SCRAM-SHA-256", "alice", "alice-secret")));
    }

    @Test
    @Timeout(90)
    void scramCredentialsAreCreatedDescribedAndDeletedThroughAdmin() {
        differential("ok twice=error DuplicateResourceException created=ok null [SCRAM_SHA_256/8192, SCRAM_SHA_512/4096]"
                        + " login512=ok [] wrong=error"
                        + " SaslAuthenticationException"
                        + " unknown=ok {nobody=UserScramCredentialsDescription{name='nobody', credentialInfos=[]}}"
                        + " tooFewIterations=error UnacceptableCredentialException"
                        + " deleteMissing=error ResourceNotFoundException bob=error ClusterAuthorizationException"
                        + " afterDelete=[SCRAM_SHA_256/8192]",
                (b, admin) -> {
                    String twice = Outcome.of(() -> admin.alterUserScramCredentials(List.of(
                            upsert("erin", ScramMechanism.SCRAM_SHA_256, 8192, "erin-secret"),
                            upsert("erin", ScramMechanism.SCRAM_SHA_512, 4096, "erin-secret"))).all().get());
                    String created = Outcome.of(() -> {
                        admin.alterUserScramCredentials(List.of(
                                upsert("carol", ScramMechanism.SCRAM_SHA_256, 8192, "carol-secret"))).all().get();
                        return admin.alterUserScramCredentials(List.of(
                                upsert("carol", ScramMechanism.SCRAM_SHA_512, 4096, "carol-secret"))).all().get();
                    });
                    String described = awaitCredentials(admin, "carol", d -> d.contains("SCRAM_SHA_512"));
                    String login = listTopicsAs(b, login("SCRAM-SHA-512", "carol", "carol-secret"));
                    String wrong = listTopicsAs(b, login("SCRAM-SHA-256", "carol", "not-carols"));
                    String unknown = Outcome.of(() -> admin.describeUserScramCredentials(List.of("nobody")).all().get());
                    String tooFew = Outcome.of(() -> admin.alterUserScramCredentials(List.of(
                            upsert("dave", ScramMechanism.SCRAM_SHA_256, 1024, "dave-secret"))).all().get());
                    String deleteMissing = Outcome.of(() -> admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialDeletion("carol-not", ScramMechanism.SCRAM_SHA_256))).all().get());
                    String bob = Outcome.of(() -> {
                        try (Admin asBob = adminAs(b, login("PLAIN", "bob", "bob-secret"))) {
                            return asBob.describeUserScramCredentials().all().get();
                        }
                    });
                    Outcome.of(() -> admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_512))).all().get());
                    String afterDelete = awaitCredentials(admin, "carol", d -> !d.contains("SCRAM_SHA_512"));
                    return "ok twice=" + twice + " created=" + created + " " + described + " login512=" + login + " wrong=" + wrong + " unknown=" + unknown
                            + " tooFewIterations=" + tooFew + " deleteMissing=" + deleteMissing + " bob=" + bob
                            + " afterDelete=" + afterDelete;
                });
    }

    @Test
    @Timeout(90)
    void topicWithoutAclsIsRefusedAndHidden() {
        differential("ok produce=error TopicAuthorizationException listOffsets=error TopicAuthorizationException"
                        + " consume=error TopicAuthorizationException fetch=error TopicAuthorizationException"
                        + " describe=error TopicAuthorizationException configs=error TopicAuthorizationException"
                        + " create=error TopicAuthorizationException delete=error TopicAuthorizationException"
                        + " cluster=ok 1 node visible=[sec-hidden-described]",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-hidden", 1);
                    Differential.createTopic(admin, "sec-hidden-described", 1);
                    Differential.produce(b, "sec-hidden-described", 1, brokers.listener().clientSettings());
                    createAcls(admin, List.of(allow("User:bob", ResourceType.TOPIC, "sec-hidden-described",
                            PatternType.LITERAL, AclOperation.DESCRIBE)));
                    Map<String, String> bob = login("PLAIN", "bob", "bob-secret");
                    String produce = Outcome.of(() -> {
                        try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, bob)) {
                            return producer.send(new ProducerRecord<>("sec-hidden", new byte[1])).get().offset();
                        }
                    });
                    String consume = consume(b, bob, null, new TopicPartition("sec-hidden", 0));
                    String fetch = consume(b, bob, null, new TopicPartition("sec-hidden-described", 0));
                    try (Admin asBob = adminAs(b, bob)) {
                        String listOffsets = Outcome.of(() -> asBob.listOffsets(
                                Map.of(new TopicPartition("sec-hidden", 0), OffsetSpec.latest())).all().get());
                        String describe = Outcome.of(() -> asBob.describeTopics(List.of("sec-hidden")).allTopicNames().get());
                        String configs = Outcome.of(() -> asBob.describeConfigs(List.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, "sec-hidden"))).all().get());
                        String create = Outcome.of(() -> asBob.createTopics(List.of(
                                new NewTopic("sec-bobs-own", 1, (short) 1))).all().get());
                        String delete = Outcome.of(() -> asBob.deleteTopics(List.of("sec-hidden")).all().get());
                        String cluster = Outcome.of(() -> asBob.describeCluster().nodes().get().size() + " node");
                        TreeSet<String> visible = new TreeSet<>(asBob.listTopics().names().get());
                        return "produce=" + produce + " listOffsets=" + listOffsets + " consume=" + consume
                                + " fetch=" + fetch + " describe=" + describe + " configs=" + configs
                                + " create=" + create + " delete=" + delete + " cluster=" + cluster
                                + " visible=" + visible;
                    }
                }));
    }

    @Test
    @Timeout(90)
    void groupWithoutReadIsRefused() {
        differential("ok classic=error GroupAuthorizationException consumer=error GroupAuthorizationException"
                        + " commit=error GroupAuthorizationException describe=error GroupAuthorizationException"
                        + " offsets=error GroupAuthorizationException",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-group-topic", 1);
                    createAcls(admin, List.of(allow("User:alice", ResourceType.TOPIC, "sec-group-topic",
                            PatternType.LITERAL, AclOperation.READ)));
                    Map<String, String> alice = login("PLAIN", "alice", "alice-secret");
                    String classic = subscribe(b, alice, "sec-group-classic", "classic");
                    String consumer = subscribe(b, alice, "sec-group-consumer", "consumer");
                    TopicPartition partition = new TopicPartition("sec-group-topic", 0);
                    String commit = Outcome.of(() -> {
                        try (KafkaConsumer<byte[], byte[]> c = Consumers.consumer(b, "sec-group-commit", "earliest", alice)) {
                            c.assign(List.of(partition));
                            c.commitSync(Map.of(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
                            return "committed";
                        }
                    });
                    try (Admin asAlice = adminAs(b, alice)) {
                        String describe = Outcome.of(() -> asAlice.describeConsumerGroups(List.of("sec-group-classic"))
                                .all().get());
                        String offsets = Outcome.of(() -> asAlice.listConsumerGroupOffsets("sec-group-classic")
                                .partitionsToOffsetAndMetadata().get());
                        return "classic=" + classic + " consumer=" + consumer + " commit=" + commit
                                + " describe=" + describe + " offsets=" + offsets;
                    }
                }));
    }

    @Test
    @Timeout(90)
    void aclsAreCreatedDescribedAndDeletedWithLiteralAndPrefixedPatterns() {
        AclBinding literal = allow("User:alice", ResourceType.TOPIC, "sec-acl-a", PatternType.LITERAL, AclOperation.READ);
        AclBinding prefixed = allow("User:alice", ResourceType.TOPIC, "sec-acl-", PatternType.PREFIXED, AclOperation.WRITE);
        AclBinding group = allow("User:alice", ResourceType.GROUP, "sec-acl-g", PatternType.LITERAL, AclOperation.READ);
        differential("ok match=[TOPIC:LITERAL:sec-acl-a User:alice@* READ ALLOW,"
                        + " TOPIC:PREFIXED:sec-acl- User:alice@* WRITE ALLOW]"
                        + " literal=[TOPIC:LITERAL:sec-acl-a User:alice@* READ ALLOW]"
                        + " prefixed=[TOPIC:PREFIXED:sec-acl- User:alice@* WRITE ALLOW]"
                        + " group=[GROUP:LITERAL:sec-acl-g User:alice@* READ ALLOW]"
                        + " noType=error InvalidRequestException"
                        + " bobCreates=error ClusterAuthorizationException bobDescribes=error ClusterAuthorizationException"
                        + " deleted=[TOPIC:PREFIXED:sec-acl- User:alice@* WRITE ALLOW]"
                        + " left=[GROUP:LITERAL:sec-acl-g User:alice@* READ ALLOW,"
                        + " TOPIC:LITERAL:sec-acl-a User:alice@* READ ALLOW]",
                (b, admin) -> Outcome.of(() -> {
                    createAcls(admin, List.of(literal, prefixed, group));
                    String match = describeAcls(admin, new ResourcePatternFilter(ResourceType.TOPIC, "sec-acl-a", PatternType.MATCH));
                    String literalOnly = describeAcls(admin, new ResourcePatternFilter(ResourceType.TOPIC, "sec-acl-a", PatternType.LITERAL));
                    String prefixedOnly = describeAcls(admin, new ResourcePatternFilter(ResourceType.TOPIC, "sec-acl-", PatternType.PREFIXED));
                    String groups = describeAcls(admin, new ResourcePatternFilter(ResourceType.GROUP, "sec-acl-g", PatternType.ANY));
                    String noType = Outcome.of(() -> admin.createAcls(List.of(allow("alice", ResourceType.TOPIC,
                            "sec-acl-x", PatternType.LITERAL, AclOperation.READ))).all().get());
                    String bobCreates;
                    String bobDescribes;
                    try (Admin asBob = adminAs(b, login("PLAIN", "bob", "bob-secret"))) {
                        bobCreates = Outcome.of(() -> asBob.createAcls(List.of(allow("User:bob", ResourceType.TOPIC,
                                "sec-acl-", PatternType.PREFIXED, AclOperation.ALL))).all().get());
                        bobDescribes = Outcome.of(() -> asBob.describeAcls(AclBindingFilter.ANY).values().get());
                    }
                    Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(
                            new ResourcePatternFilter(ResourceType.TOPIC, "sec-acl-", PatternType.PREFIXED),
                            AccessControlEntryFilter.ANY))).all().get();
                    String left = awaitAcls(admin, AclBindingFilter.ANY,
                            bindings -> bindings.stream().noneMatch(a -> a.equals(prefixed)), "sec-acl-");
                    return "match=" + match + " literal=" + literalOnly + " prefixed=" + prefixedOnly + " group=" + groups
                            + " noType=" + noType + " bobCreates=" + bobCreates + " bobDescribes=" + bobDescribes
                            + " deleted=" + describe(deleted) + " left=" + left;
                }));
    }

    @Test
    @Timeout(90)
    void denyWinsOverAllow() {
        differential("ok payroll=ok 0 payments=error TopicAuthorizationException describePayments=ok [sec-deny-payments]"
                        + " readPayroll=error TopicAuthorizationException readPayments=ok 0 records",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-deny-payroll", 1);
                    Differential.createTopic(admin, "sec-deny-payments", 1);
                    createAcls(admin, List.of(
                            allow("User:alice", ResourceType.TOPIC, "sec-deny-", PatternType.PREFIXED, AclOperation.ALL),
                            new AclBinding(new ResourcePattern(ResourceType.TOPIC, "sec-deny-payments", PatternType.LITERAL),
                                    new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.DENY)),
                            new AclBinding(new ResourcePattern(ResourceType.TOPIC, "sec-deny-payroll", PatternType.LITERAL),
                                    new AccessControlEntry("User:*", "127.0.0.1", AclOperation.READ, AclPermissionType.DENY))));
                    Map<String, String> alice = login("PLAIN", "alice", "alice-secret");
                    String payroll;
                    String payments;
                    try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, alice)) {
                        payroll = Outcome.of(() -> producer.send(new ProducerRecord<>("sec-deny-payroll", new byte[1])).get().offset());
                        payments = Outcome.of(() -> producer.send(new ProducerRecord<>("sec-deny-payments", new byte[1])).get().offset());
                    }
                    String describePayments;
                    try (Admin asAlice = adminAs(b, alice)) {
                        describePayments = Outcome.of(() -> asAlice.describeTopics(List.of("sec-deny-payments"))
                                .allTopicNames().get().keySet());
                    }
                    String readPayroll = consume(b, alice, null, new TopicPartition("sec-deny-payroll", 0));
                    String readPayments = consume(b, alice, null, new TopicPartition("sec-deny-payments", 0));
                    return "payroll=" + payroll + " payments=" + payments + " describePayments=" + describePayments
                            + " readPayroll=" + readPayroll + " readPayments=" + readPayments;
                }));
    }

    @Test
    @Timeout(90)
    void produceToAnAllowedAndARefusedTopicInOneRequestServesTheAllowedOne() {
        differential("ok allowed=ok 0 refused=error TopicAuthorizationException",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-mixed-ok", 1);
                    Differential.createTopic(admin, "sec-mixed-ro", 1);
                    createAcls(admin, List.of(
                            allow("User:alice", ResourceType.TOPIC, "sec-mixed-ok", PatternType.LITERAL, AclOperation.WRITE),
                            allow("User:alice", ResourceType.TOPIC, "sec-mixed-ro", PatternType.LITERAL, AclOperation.DESCRIBE)));
                    Map<String, String> alice = new HashMap<>(login("PLAIN", "alice", "alice-secret"));
                    alice.put("linger.ms", "1000");
                    try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, alice)) {
                        // Both topics' metadata first, so that both records wait in the same linger and go in one request.
                        producer.partitionsFor("sec-mixed-ok");
                        producer.partitionsFor("sec-mixed-ro");
                        var allowed = producer.send(new ProducerRecord<>("sec-mixed-ok", new byte[1]));
                        var refused = producer.send(new ProducerRecord<>("sec-mixed-ro", new byte[1]));
                        producer.flush();
                        return "allowed=" + Outcome.of(() -> allowed.get().offset())
                                + " refused=" + Outcome.of(() -> refused.get().offset());
                    }
                }));
    }

    @Test
    @Timeout(90)
    void offsetCommitWithARefusedTopicCommitsTheAllowedOne() {
        differential("ok commit=error TopicAuthorizationException committed={sec-commit-ok-0=0}",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-commit-ok", 1);
                    Differential.createTopic(admin, "sec-commit-ro", 1);
                    createAcls(admin, List.of(
                            allow("User:alice", ResourceType.GROUP, "sec-commit-g", PatternType.LITERAL, AclOperation.READ),
                            allow("User:alice", ResourceType.TOPIC, "sec-commit-ok", PatternType.LITERAL, AclOperation.READ),
                            allow("User:alice", ResourceType.TOPIC, "sec-commit-ro", PatternType.LITERAL, AclOperation.DESCRIBE)));
                    TopicPartition ok = new TopicPartition("sec-commit-ok", 0);
                    TopicPartition ro = new TopicPartition("sec-commit-ro", 0);
                    String commit = Outcome.of(() -> {
                        try (KafkaConsumer<byte[], byte[]> c = Consumers.consumer(b, "sec-commit-g", "earliest",
                                login("PLAIN", "alice", "alice-secret"))) {
                            c.assign(List.of(ok, ro));
                            c.commitSync(Map.of(ok, new OffsetAndMetadata(0), ro, new OffsetAndMetadata(0)));
                            return "committed";
                        }
                    });
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("sec-commit-g")
                            .partitionsToOffsetAndMetadata().get();
                    Map<String, Long> offsets = new TreeMap<>();
                    committed.forEach((p, o) -> offsets.put(p.toString(), o.offset()));
                    return "commit=" + commit + " committed=" + offsets;
                }));
    }

    @Test
    @Timeout(90)
    void deleteTopicsAnswersEachTopicOnItsOwn() {
        differential("ok ok=ok null refused=error TopicAuthorizationException"
                        + " unknownDescribable=error UnknownTopicOrPartitionException nowhere=error TopicAuthorizationException"
                        + " refusedById=error TopicAuthorizationException unknownId=error UnknownTopicIdException"
                        + " describedById=ok sec-del-ro describeRefusedById=error UnknownTopicIdException",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-del-ok", 1);
                    Differential.createTopic(admin, "sec-del-ro", 1);
                    Uuid roId = admin.describeTopics(List.of("sec-del-ro")).allTopicNames().get().get("sec-del-ro").topicId();
                    createAcls(admin, List.of(
                            allow("User:bob", ResourceType.TOPIC, "sec-del-ok", PatternType.LITERAL, AclOperation.DELETE),
                            allow("User:bob", ResourceType.TOPIC, "sec-del-ro", PatternType.LITERAL, AclOperation.DESCRIBE),
                            allow("User:bob", ResourceType.TOPIC, "sec-del-ghost", PatternType.LITERAL, AclOperation.DESCRIBE)));
                    Differential.createTopic(admin, "sec-del-hidden", 1);
                    Uuid hiddenId = admin.describeTopics(List.of("sec-del-hidden")).allTopicNames().get()
                            .get("sec-del-hidden").topicId();
                    try (Admin asBob = adminAs(b, login("PLAIN", "bob", "bob-secret"))) {
                        // Metadata by topic id (the Admin sends an empty name beside each id)
                        Map<Uuid, KafkaFuture<TopicDescription>> described = asBob.describeTopics(
                                TopicCollection.ofTopicIds(List.of(roId, hiddenId))).topicIdValues();
                        String describedById = Outcome.of(() -> described.get(roId).get().name());
                        String describeRefusedById = Outcome.of(() -> described.get(hiddenId).get());
                        Map<String, KafkaFuture<Void>> byName = asBob.deleteTopics(List.of("sec-del-ok", "sec-del-ro",
                                "sec-del-ghost", "sec-del-nowhere")).topicNameValues();
                        Map<Uuid, KafkaFuture<Void>> byId = asBob.deleteTopics(TopicCollection.ofTopicIds(
                                List.of(roId, Uuid.randomUuid()))).topicIdValues();
                        String unknownId = byId.entrySet().stream().filter(e -> !e.getKey().equals(roId)).findFirst()
                                .map(e -> Outcome.of(() -> e.getValue().get())).orElseThrow();
                        return "ok=" + Outcome.of(() -> byName.get("sec-del-ok").get())
                                + " refused=" + Outcome.of(() -> byName.get("sec-del-ro").get())
                                + " unknownDescribable=" + Outcome.of(() -> byName.get("sec-del-ghost").get())
                                + " nowhere=" + Outcome.of(() -> byName.get("sec-del-nowhere").get())
                                + " refusedById=" + Outcome.of(() -> byId.get(roId).get())
                                + " unknownId=" + unknownId
                                + " describedById=" + describedById + " describeRefusedById=" + describeRefusedById;
                    }
                }));
    }

    @Test
    @Timeout(90)
    void configsOfMixedResourcesAreAnsweredOneByOne() {
        differential("ok topic=ok refusedTopic=error TopicAuthorizationException broker=error ClusterAuthorizationException"
                        + " group=error GroupAuthorizationException alter=ok null alterRefused=error TopicAuthorizationException",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-conf-ok", 1);
                    Differential.createTopic(admin, "sec-conf-ro", 1);
                    createAcls(admin, List.of(
                            allow("User:bob", ResourceType.TOPIC, "sec-conf-ok", PatternType.LITERAL, AclOperation.ALTER_CONFIGS),
                            allow("User:bob", ResourceType.TOPIC, "sec-conf-ro", PatternType.LITERAL, AclOperation.DESCRIBE)));
                    try (Admin asBob = adminAs(b, login("PLAIN", "bob", "bob-secret"))) {
                        String node = String.valueOf(asBob.describeCluster().nodes().get().iterator().next().id());
                        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "sec-conf-ok");
                        ConfigResource refused = new ConfigResource(ConfigResource.Type.TOPIC, "sec-conf-ro");
                        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node);
                        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "sec-conf-g");
                        var described = asBob.describeConfigs(List.of(topic, refused, broker, group)).values();
                        AlterConfigOp retention = new AlterConfigOp(new ConfigEntry("retention.ms", "3600000"),
                                AlterConfigOp.OpType.SET);
                        var altered = asBob.incrementalAlterConfigs(Map.of(topic, List.of(retention),
                                refused, List.of(retention))).values();
                        return "topic=" + status(() -> described.get(topic).get())
                                + " refusedTopic=" + Outcome.of(() -> described.get(refused).get())
                                + " broker=" + Outcome.of(() -> described.get(broker).get())
                                + " group=" + Outcome.of(() -> described.get(group).get())
                                + " alter=" + Outcome.of(() -> altered.get(topic).get())
                                + " alterRefused=" + Outcome.of(() -> altered.get(refused).get());
                    }
                }));
    }

    @Test
    @Timeout(90)
    void batchedCoordinatorLookupsAndOffsetFetchesRefuseGroupByGroup() {
        differential("ok offsets={sec-fc-mine=ok {sec-fc-t-0=0}, sec-fc-theirs=error GroupAuthorizationException}"
                        + " described={sec-fc-mine=ok, sec-fc-theirs=error GroupAuthorizationException}",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-fc-t", 1);
                    TopicPartition partition = new TopicPartition("sec-fc-t", 0);
                    for (String group : List.of("sec-fc-mine", "sec-fc-theirs")) {
                        admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(0))).all().get();
                    }
                    createAcls(admin, List.of(
                            allow("User:alice", ResourceType.GROUP, "sec-fc-mine", PatternType.LITERAL, AclOperation.DESCRIBE),
                            allow("User:alice", ResourceType.TOPIC, "sec-fc-t", PatternType.LITERAL, AclOperation.DESCRIBE)));
                    try (Admin asAlice = adminAs(b, login("PLAIN", "alice", "alice-secret"))) {
                        var offsets = asAlice.listConsumerGroupOffsets(Map.of(
                                "sec-fc-mine", new ListConsumerGroupOffsetsSpec(),
                                "sec-fc-theirs", new ListConsumerGroupOffsetsSpec()));
                        Map<String, String> fetched = new TreeMap<>();
                        for (String group : List.of("sec-fc-mine", "sec-fc-theirs")) {
                            fetched.put(group, Outcome.of(() -> {
                                Map<String, Long> byPartition = new TreeMap<>();
                                offsets.partitionsToOffsetAndMetadata(group).get()
                                        .forEach((p, o) -> byPartition.put(p.toString(), o.offset()));
                                return byPartition;
                            }));
                        }
                        var groups = asAlice.describeConsumerGroups(List.of("sec-fc-mine", "sec-fc-theirs"))
                                .describedGroups();
                        Map<String, String> described = new TreeMap<>();
                        groups.forEach((group, future) -> described.put(group,
                                status(future::get)));
                        return "offsets=" + fetched + " described=" + described;
                    }
                }));
    }

    @Test
    @Timeout(90)
    void metadataHidesTopicsAndAutoCreatesOnlyWithCreate() {
        differential("ok created=ok 1 partitions notCreatable=error TopicAuthorizationException"
                        + " hidden=error TopicAuthorizationException visible=[sec-auto-ok]"
                        + " topicOperations=ok [CREATE, DESCRIBE] bobCluster=ok [] adminCluster=ok [CREATE, ALTER, DESCRIBE,"
                        + " CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE]",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-autohidden", 1);
                    createAcls(admin, List.of(
                            allow("User:bob", ResourceType.TOPIC, "sec-auto-", PatternType.PREFIXED, AclOperation.DESCRIBE),
                            allow("User:bob", ResourceType.TOPIC, "sec-auto-ok", PatternType.LITERAL, AclOperation.CREATE)));
                    Map<String, String> bob = new HashMap<>(login("PLAIN", "bob", "bob-secret"));
                    bob.put("max.block.ms", "20000");
                    String created;
                    String notCreatable;
                    String hidden;
                    try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, bob)) {
                        created = Outcome.of(() -> producer.partitionsFor("sec-auto-ok").size() + " partitions");
                        notCreatable = Outcome.of(() -> producer.partitionsFor("sec-auto-no").size() + " partitions");
                        hidden = Outcome.of(() -> producer.partitionsFor("sec-autohidden").size() + " partitions");
                    }
                    try (Admin asBob = adminAs(b, bob)) {
                        TreeSet<String> visible = new TreeSet<>(asBob.listTopics().names().get());
                        visible.removeIf(name -> !name.startsWith("sec-auto"));
                        String topicOperations = Outcome.of(() -> new TreeSet<>(asBob.describeTopics(List.of("sec-auto-ok"),
                                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get()
                                .get("sec-auto-ok").authorizedOperations()));
                        DescribeClusterOptions withOperations = new DescribeClusterOptions().includeAuthorizedOperations(true);
                        String bobCluster = Outcome.of(() -> new TreeSet<>(asBob.describeCluster(withOperations)
                                .authorizedOperations().get()));
                        String adminCluster = Outcome.of(() -> new TreeSet<>(admin.describeCluster(withOperations)
                                .authorizedOperations().get()));
                        return "created=" + created + " notCreatable=" + notCreatable + " hidden=" + hidden
                                + " visible=" + visible + " topicOperations=" + topicOperations
                                + " bobCluster=" + bobCluster + " adminCluster=" + adminCluster;
                    }
                }));
    }

    @Test
    @Timeout(120)
    void shareGroupOffsetAdministrationAnswersEachTopicOnItsOwn() {
        differential("ok listed={sec-share-ok-0=0, sec-share-ro-0=0} alterOk=ok null"
                        + " alterRefused=error TopicAuthorizationException deleteOk=ok null"
                        + " deleteRefused=error TopicAuthorizationException",
                (b, admin) -> Outcome.of(() -> {
                    List<String> topics = List.of("sec-share-ok", "sec-share-ro", "sec-share-hidden");
                    Map<TopicPartition, Long> start = new HashMap<>();
                    for (String topic : topics) {
                        Differential.createTopic(admin, topic, 1);
                        start.put(new TopicPartition(topic, 0), 0L);
                    }
                    alterShareGroupOffsetsOnceTopicsAreKnown(admin, "sec-share-g", start);
                    createAcls(admin, List.of(
                            allow("User:alice", ResourceType.GROUP, "sec-share-g", PatternType.LITERAL, AclOperation.ALL),
                            allow("User:alice", ResourceType.TOPIC, "sec-share-ok", PatternType.LITERAL, AclOperation.READ),
                            allow("User:alice", ResourceType.TOPIC, "sec-share-ro", PatternType.LITERAL, AclOperation.DESCRIBE)));
                    TopicPartition ok = new TopicPartition("sec-share-ok", 0);
                    TopicPartition ro = new TopicPartition("sec-share-ro", 0);
                    try (Admin asAlice = adminAs(b, login("PLAIN", "alice", "alice-secret"))) {
                        Map<String, Long> listed = new TreeMap<>();
                        asAlice.listShareGroupOffsets(Map.of("sec-share-g", new ListShareGroupOffsetsSpec()))
                                .partitionsToOffsetInfo("sec-share-g").get(30, TimeUnit.SECONDS)
                                .forEach((p, info) -> listed.put(p.toString(), info == null ? null : info.startOffset()));
                        var altered = asAlice.alterShareGroupOffsets("sec-share-g", Map.of(ok, 0L, ro, 0L));
                        var deleted = asAlice.deleteShareGroupOffsets("sec-share-g", Set.of("sec-share-ok", "sec-share-ro"));
                        return "listed=" + listed
                                + " alterOk=" + Outcome.of(() -> altered.partitionResult(ok).get(30, TimeUnit.SECONDS))
                                + " alterRefused=" + Outcome.of(() -> altered.partitionResult(ro).get(30, TimeUnit.SECONDS))
                                + " deleteOk=" + Outcome.of(() -> deleted.topicResult("sec-share-ok").get(30, TimeUnit.SECONDS))
                                + " deleteRefused=" + Outcome.of(() -> deleted.topicResult("sec-share-ro").get(30, TimeUnit.SECONDS));
                    }
                }));
    }

    @Test
    @Timeout(150)
    void aShareConsumerAllowedOneTopicOfTwoReadsItAndIsToldOfTheOther() {
        differential("ok records=[sec-sf-ok] refused=[sec-sf-ro]", (b, admin) -> Outcome.of(() -> {
            Map<String, String> asAdmin = login("PLAIN", "admin", "admin-secret");
            for (String topic : List.of("sec-sf-ok", "sec-sf-ro")) {
                Differential.createTopic(admin, topic, 1);
                Differential.produce(b, topic, 1, asAdmin);
            }
            shareFromEarliest(admin, "sec-sf-g");
            createAcls(admin, List.of(
                    allow("User:alice", ResourceType.GROUP, "sec-sf-g", PatternType.LITERAL, AclOperation.READ),
                    allow("User:alice", ResourceType.TOPIC, "sec-sf-ok", PatternType.LITERAL, AclOperation.READ),
                    allow("User:alice", ResourceType.TOPIC, "sec-sf-ro", PatternType.LITERAL, AclOperation.DESCRIBE)));
            try (KafkaShareConsumer<byte[], byte[]> consumer = shareConsumerAs(b, login("PLAIN", "alice", "alice-secret"),
                    "sec-sf-g")) {
                consumer.subscribe(List.of("sec-sf-ok", "sec-sf-ro"));
                Set<String> records = new TreeSet<>();
                Set<String> refused = new TreeSet<>();
                // Kafka's group coordinator may assign the new topics only a moment after they exist: poll on
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while ((records.isEmpty() || refused.isEmpty()) && System.nanoTime() < deadline) {
                    try {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                            records.add(r.topic());
                            consumer.acknowledge(r);
                        });
                    } catch (TopicAuthorizationException e) {
                        refused.addAll(e.unauthorizedTopics());
                    }
                }
                return "records=" + records + " refused=" + refused;
            }
        }));
    }

    @Test
    @Timeout(150)
    void malformedShareAcknowledgementsAreInvalidBeforeTheirTopicsAclsAndNoneIsApplied() {
        // ok-0 and ro-0: a valid batch, then a malformed one; ro-1: the valid batch alone. Then the valid batch alone
        // is accepted: nothing of ok-0's first request was applied
        differential("ok malformed={ok-0=INVALID_REQUEST, ro-0=INVALID_REQUEST, ro-1=TOPIC_AUTHORIZATION_FAILED}"
                        + " thenAccept={ok-0=NONE}",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-ack-ok", 1);
                    Differential.createTopic(admin, "sec-ack-ro", 2);
                    Differential.produce(b, "sec-ack-ok", 1, login("PLAIN", "admin", "admin-secret"));
                    shareFromEarliest(admin, "sec-ack-g");
                    createAcls(admin, List.of(
                            allow("User:bob", ResourceType.GROUP, "sec-ack-g", PatternType.LITERAL, AclOperation.READ),
                            allow("User:bob", ResourceType.TOPIC, "sec-ack-ok", PatternType.LITERAL,
                                    AclOperation.READ)));
                    Map<String, Uuid> ids = new TreeMap<>();
                    admin.describeTopics(List.of("sec-ack-ok", "sec-ack-ro")).allTopicNames().get()
                            .forEach((name, d) -> ids.put(name, d.topicId()));
                    try (RawRequests bob = new RawRequests(b.bootstrapServers()).loginPlain("bob", "bob-secret")) {
                        RawShareMember member = new RawShareMember(bob, "sec-ack-g");
                        member.joinUntilAssigned("sec-ack-ok");
                        member.fetchUntilAcquired(ids.get("sec-ack-ok"));
                        long[] accept = {0, 0, 1};
                        long[] backwards = {3, 1, 1};
                        String malformed = named(ids, member.acknowledge(List.of(
                                ackTopic(ids.get("sec-ack-ok"), RawShareMember.partition(0, accept, backwards)),
                                ackTopic(ids.get("sec-ack-ro"), RawShareMember.partition(0, accept, backwards),
                                        RawShareMember.partition(1, accept)))));
                        String thenAccept = named(ids, member.acknowledge(List.of(
                                ackTopic(ids.get("sec-ack-ok"), RawShareMember.partition(0, accept)))));
                        return "malformed=" + malformed + " thenAccept=" + thenAccept;
                    }
                }));
    }

    @Test
    @Timeout(180)
    void aShareConsumerWhoseReadIsRevokedMidSessionIsRefusedItsSessionsPartition() {
        differential("ok polled=[0] acknowledged=error TopicAuthorizationException"
                        + " nextPoll=error TopicAuthorizationException redelivered={0=2, 1=1}", (b, admin) -> Outcome.of(() -> {
            Map<String, String> asAdmin = login("PLAIN", "admin", "admin-secret");
            Differential.createTopic(admin, "sec-sr-t", 1);
            Differential.produce(b, "sec-sr-t", 1, asAdmin);
            shareFromEarliest(admin, "sec-sr-g");
            AclBinding read = allow("User:alice", ResourceType.TOPIC, "sec-sr-t", PatternType.LITERAL, AclOperation.READ);
            createAcls(admin, List.of(read,
                    allow("User:alice", ResourceType.GROUP, "sec-sr-g", PatternType.LITERAL, AclOperation.READ),
                    allow("User:alice", ResourceType.TOPIC, "sec-sr-t", PatternType.LITERAL, AclOperation.DESCRIBE)));
            String polled;
            String acknowledged;
            String nextPoll;
            try (KafkaShareConsumer<byte[], byte[]> alice = shareConsumerAs(b, login("PLAIN", "alice", "alice-secret"),
                    "sec-sr-g")) {
                alice.subscribe(List.of("sec-sr-t"));
                List<ConsumerRecord<byte[], byte[]>> records = pollShare(alice);
                polled = records.stream().map(ConsumerRecord::offset).toList().toString();
                admin.deleteAcls(List.of(read.toFilter())).all().get(30, TimeUnit.SECONDS);
                awaitAcls(admin, AclBindingFilter.ANY, listed -> !listed.contains(read), "");
                Differential.produce(b, "sec-sr-t", 1, asAdmin);
                // both go through the share session, which names the partition no more: authorized again anyway
                records.forEach(r -> alice.acknowledge(r, AcknowledgeType.ACCEPT));
                acknowledged = alice.commitSync(Duration.ofSeconds(30)).values().stream()
                        .map(error -> error.map(e -> "error " + e.getClass().getSimpleName()).orElse("ok"))
                        .toList().toString().replaceAll("[\\[\\]]", "");
                nextPoll = Outcome.of(() -> pollShare(alice).stream().map(ConsumerRecord::offset).toList());
            }
            Map<Long, Short> redelivered = new TreeMap<>();
            try (KafkaShareConsumer<byte[], byte[]> other = shareConsumerAs(b, asAdmin, "sec-sr-g")) {
                other.subscribe(List.of("sec-sr-t"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (redelivered.size() < 2 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : pollShare(other)) {
                        redelivered.put(r.offset(), r.deliveryCount().orElse((short) -1));
                        other.acknowledge(r, AcknowledgeType.ACCEPT);
                    }
                }
            }
            return "polled=" + polled + " acknowledged=" + acknowledged + " nextPoll=" + nextPoll
                    + " redelivered=" + redelivered;
        }));
    }

    @Test
    @Timeout(90)
    void brokerSideRequestsAreAuthorizedAsKafkaDoes() {
        differential("ok shareKeysV6=[CLUSTER_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED]"
                        + " shareKeysV5=[INVALID_REQUEST, INVALID_REQUEST] noKeysV6=[] malformedKeyAsAdmin=[INVALID_REQUEST]"
                        + " epochs={sec-ep-ok=NONE, sec-ep-ro=TOPIC_AUTHORIZATION_FAILED}"
                        + " consumerFetch=NONE followerFetch=TOPIC_AUTHORIZATION_FAILED",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "sec-ep-ok", 1);
                    Differential.createTopic(admin, "sec-ep-ro", 1);
                    createAcls(admin, List.of(
                            allow("User:bob", ResourceType.TOPIC, "sec-ep-ok", PatternType.LITERAL, AclOperation.READ)));
                    Uuid id = admin.describeTopics(List.of("sec-ep-ok")).allTopicNames().get().get("sec-ep-ok").topicId();
                    FindCoordinatorRequestData shareKeys = new FindCoordinatorRequestData().setKeyType((byte) 2)
                            .setCoordinatorKeys(List.of("sec-ep-g:" + id + ":0", "sec-ep-h:" + id + ":0"));
                    OffsetForLeaderEpochRequestData epochs = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
                    for (String topic : List.of("sec-ep-ok", "sec-ep-ro")) {
                        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic t =
                                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic);
                        t.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                                .setPartition(0).setCurrentLeaderEpoch(-1).setLeaderEpoch(0));
                        epochs.topics().add(t);
                    }
                    try (RawRequests bob = new RawRequests(b.bootstrapServers()).loginPlain("bob", "bob-secret");
                         RawRequests asAdmin = new RawRequests(b.bootstrapServers()).loginPlain("admin", "admin-secret")) {
                        Map<String, String> epochErrors = new TreeMap<>();
                        ((OffsetForLeaderEpochResponseData) bob.send(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (short) 4, epochs))
                                .topics().forEach(t -> epochErrors.put(t.topic(),
                                        Errors.forCode(t.partitions().get(0).errorCode()).name()));
                        return "shareKeysV6=" + coordinatorErrors(bob, (short) 6, shareKeys)
                                + " shareKeysV5=" + coordinatorErrors(bob, (short) 5, shareKeys)
                                + " noKeysV6=" + coordinatorErrors(bob, (short) 6, shareKeys.duplicate()
                                        .setCoordinatorKeys(List.of()))
                                + " malformedKeyAsAdmin=" + coordinatorErrors(asAdmin, (short) 6, shareKeys.duplicate()
                                        .setCoordinatorKeys(List.of("not-a-share-partition")))
                                + " epochs=" + epochErrors
                                + " consumerFetch=" + fetchError(bob, -1, "sec-ep-ok")
                                + " followerFetch=" + fetchError(bob, 2, "sec-ep-ok");
                    }
                }));
    }

    /** Has share group {@code group} start at the earliest offset, so records written before it joined are read. */
    private static void shareFromEarliest(Admin admin, String group) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                        AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }

    /** A share consumer of {@code group} logged in as {@code login}, acknowledging explicitly. */
    private static KafkaShareConsumer<byte[], byte[]> shareConsumerAs(ChildBroker broker, Map<String, String> login,
                                                                      String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        props.putAll(login);
        return new KafkaShareConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Polls until records come (at most 90 s: Kafka's group coordinator may assign a new topic only a moment after
     * it exists) and answers them.
     */
    private static List<ConsumerRecord<byte[], byte[]>> pollShare(KafkaShareConsumer<byte[], byte[]> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            if (!records.isEmpty()) {
                return records;
            }
        }
        throw new IllegalStateException("no record within 90 s");
    }

    /**
     * The error a Fetch v12 from offset 0 of partition 0 of {@code topic} is answered with, sent as a consumer
     * (replica id -1) or as a follower (a broker's id, which needs CLUSTER_ACTION).
     */
    private static String fetchError(RawRequests connection, int replicaId, String topic) throws Exception {
        FetchRequestData fetch = new FetchRequestData().setReplicaId(replicaId).setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(1 << 20).setSessionEpoch(-1);
        fetch.topics().add(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20))));
        FetchResponseData response = (FetchResponseData) connection.send(ApiKeys.FETCH, (short) 12, fetch);
        return Errors.forCode(response.responses().get(0).partitions().get(0).errorCode()).name();
    }

    private static ShareAcknowledgeRequestData.AcknowledgeTopic ackTopic(Uuid id,
            ShareAcknowledgeRequestData.AcknowledgePartition... partitions) {
        ShareAcknowledgeRequestData.AcknowledgeTopic topic = new ShareAcknowledgeRequestData.AcknowledgeTopic()
                .setTopicId(id);
        for (ShareAcknowledgeRequestData.AcknowledgePartition p : partitions) {
            topic.partitions().add(p);
        }
        return topic;
    }

    /** {@code errors} keyed "topicId-partition" rekeyed by topic name without its "sec-ack-" prefix. */
    private static String named(Map<String, Uuid> ids, Map<String, String> errors) {
        Map<String, String> named = new TreeMap<>();
        errors.forEach((key, error) -> ids.forEach((name, id) -> {
            if (key.startsWith(id + "-")) {
                named.put(name.substring("sec-ack-".length()) + key.substring(id.toString().length()), error);
            }
        }));
        return named.toString();
    }

    /** The error of each key a batched FindCoordinator is answered with, in the order of the answer. */
    private static List<String> coordinatorErrors(RawRequests connection, short version, FindCoordinatorRequestData find)
            throws Exception {
        return ((FindCoordinatorResponseData) connection.send(ApiKeys.FIND_COORDINATOR, version, find)).coordinators()
                .stream().map(c -> Errors.forCode(c.errorCode()).name()).toList();
    }

    /**
     * Kafka's group coordinator learns of a new topic from the metadata image a moment after the broker's metadata
     * cache, which {@link Differential#createTopic} waits for, so AlterShareGroupOffsets sent at once can still answer
     * UNKNOWN_TOPIC_OR_PARTITION: retry that one error for up to 30 s.
     */
    private static void alterShareGroupOffsetsOnceTopicsAreKnown(Admin admin, String group,
            Map<TopicPartition, Long> offsets) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.alterShareGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }

    /** {@code ok}, or the error {@code step} threw: whether it succeeded, not what it answered. */
    private static String status(Outcome.Step step) {
        return Outcome.of(() -> {
            step.run();
            return "";
        }).strip();
    }

    /** Client settings of a SASL login to the pair's {@code SASL_PLAINTEXT} listener. */
    private static Map<String, String> login(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", mechanism,
                "sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
    }

    private static Admin adminAs(ChildBroker broker, Map<String, String> login) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.putAll(login);
        return Admin.create(props);
    }

    /** The sorted topic names {@code login} may see, or the error its login or listing ended in. */
    private static String listTopicsAs(ChildBroker broker, Map<String, String> login) {
        return Outcome.of(() -> {
            try (Admin admin = adminAs(broker, login)) {
                return new TreeSet<>(admin.listTopics().names().get());
            }
        });
    }

    /**
     * Assigns {@code partition} to a consumer of {@code group} (none when null) logged in as {@code login} and polls
     * from the start until it has reached the partition's end offset (at most 30 s); answers how many records came,
     * or the error the end offset, position or poll threw.
     */
    private static String consume(ChildBroker broker, Map<String, String> login, String group, TopicPartition partition) {
        return Outcome.of(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = Consumers.consumer(broker, group, "earliest", login)) {
                consumer.assign(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                int records = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                    records += consumer.poll(Duration.ofMillis(200)).count();
                }
                return records + " records";
            }
        });
    }

    /** Subscribes a consumer of {@code group} with {@code protocol} and polls until it throws or 20 s pass. */
    private static String subscribe(ChildBroker broker, Map<String, String> login, String group, String protocol) {
        Map<String, String> settings = new HashMap<>(login);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        return Outcome.of(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = Consumers.consumer(broker, group, "earliest", settings)) {
                consumer.subscribe(List.of("sec-group-topic"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
                return "no error, assigned " + consumer.assignment();
            }
        });
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** Creates {@code bindings} and waits until the broker's DescribeAcls lists every one of them. */
    private static void createAcls(Admin admin, List<AclBinding> bindings) throws Exception {
        admin.createAcls(bindings).all().get();
        awaitAcls(admin, AclBindingFilter.ANY, listed -> listed.containsAll(bindings), "");
    }

    /**
     * Polls DescribeAcls with {@code filter} until {@code done} holds for its bindings (at most 15 s), then answers
     * the sorted bindings whose resource name starts with {@code prefix}.
     */
    private static String awaitAcls(Admin admin, AclBindingFilter filter, Predicate<Collection<AclBinding>> done,
                                    String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Collection<AclBinding> bindings = admin.describeAcls(filter).values().get();
        while (!done.test(bindings)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ACLs not applied within 15 s: " + bindings);
            }
            Thread.sleep(50);
            bindings = admin.describeAcls(filter).values().get();
        }
        return describe(bindings.stream().filter(a -> a.pattern().name().startsWith(prefix)).toList());
    }

    private static String describeAcls(Admin admin, ResourcePatternFilter pattern) throws Exception {
        return describe(admin.describeAcls(new AclBindingFilter(pattern, AccessControlEntryFilter.ANY)).values().get());
    }

    /** {@code [TYPE:PATTERN:name principal@host OPERATION PERMISSION, …]}, sorted. */
    private static String describe(Collection<AclBinding> bindings) {
        TreeSet<String> described = new TreeSet<>();
        for (AclBinding binding : bindings) {
            described.add(binding.pattern().resourceType() + ":" + binding.pattern().patternType() + ":"
                    + binding.pattern().name() + " " + binding.entry().principal() + "@" + binding.entry().host() + " "
                    + binding.entry().operation() + " " + binding.entry().permissionType());
        }
        return described.toString();
    }

    private static UserScramCredentialAlteration upsert(String user, ScramMechanism mechanism, int iterations,
                                                        String password) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, iterations), password);
    }

    /**
     * Polls DescribeUserScramCredentials of {@code user} until {@code done} holds for its description (at most
     * 15 s) and answers it as {@code [MECHANISM/iterations, …]}.
     */
    private static String awaitCredentials(Admin admin, String user, Predicate<String> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            String described;
            try {
                UserScramCredentialsDescription description =
                        admin.describeUserScramCredentials(List.of(user)).description(user).get();
                List<String> infos = new ArrayList<>();
                for (ScramCredentialInfo info : description.credentialInfos()) {
                    infos.add(info.mechanism() + "/" + info.iterations());
                }
                described = new TreeSet<>(infos).toString();
            } catch (ExecutionException e) {
                described = Outcome.error(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (done.test(described) && !described.startsWith("error") || System.nanoTime() > deadline) {
                return described;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
