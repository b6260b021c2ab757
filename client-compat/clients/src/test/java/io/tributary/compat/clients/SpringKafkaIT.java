package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Kafka (on kafka-clients 4.3.1, the version this module shares with Kafka Streams) in a plain Spring context, no Spring Boot: KafkaAdmin
 * creates a {@code NewTopic} bean's topic at startup, KafkaTemplate sends, and a {@code @KafkaListener}
 * in a consumer group receives, once with the classic group protocol and once with KIP-848's
 * {@code group.protocol=consumer}; and a {@code KafkaTransactionManager} commits and rolls back.
 */
@Timeout(90)
class SpringKafkaIT {
    private static final String TOPIC = "spring-topic";
    private static final int COUNT = 20;
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("spring-kafka", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    @SuppressWarnings("unchecked")
    void templateSendsAndListenerReceives(String groupProtocol) throws Exception {
        // Given a Spring context with KafkaAdmin, a NewTopic, a KafkaTemplate and a @KafkaListener, on kafka-clients 4
        assertThat(kafkaClientsVersion()).startsWith("4.");
        String topic = TOPIC + "-" + groupProtocol;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment().getPropertySources().addFirst(
                    new MapPropertySource("broker", Map.of("tributary.bootstrap", broker.bootstrapServers(),
                            "tributary.topic", topic, "tributary.group.protocol", groupProtocol)));
            context.register(Config.class);
            context.refresh();
            KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);

            // When the template sends 20 records and waits for each acknowledgement
            List<SendResult<String, String>> sent = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                sent.add(template.send(topic, "k" + i, "value-" + i).get(10, TimeUnit.SECONDS));
            }

            // Then the listener receives all 20, and KafkaAdmin made the topic with the bean's 2 partitions
            Listener listener = context.getBean(Listener.class);
            List<String> received = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (received.size() < COUNT && System.nanoTime() < deadline) {
                ConsumerRecord<String, String> record = listener.records.poll(200, TimeUnit.MILLISECONDS);
                if (record != null) {
                    received.add(record.value());
                }
            }
            assertThat(sent).allSatisfy(r -> assertThat(r.getRecordMetadata().offset()).isNotNegative());
            assertThat(received).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, COUNT).mapToObj(i -> "value-" + i).toList());
            Map<String, TopicDescription> topics = context.getBean(KafkaAdmin.class).describeTopics(topic);
            assertThat(topics.get(topic).partitions()).hasSize(2);
            // and the listener's group runs the protocol it asked for
            String groupId = "spring-group-" + groupProtocol;
            try (Admin admin = Admin.create(context.getBean(KafkaAdmin.class).getConfigurationProperties())) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                        .get(groupId).get(10, TimeUnit.SECONDS);
                assertThat(group.type()).isEqualTo(GroupType.parse(groupProtocol));
                assertThat(group.members()).hasSize(1);
            }
        }
    }

    @Test
    void kafkaTransactionManagerCommitsAndRollsBack() throws Exception {
        // Given a transactional producer factory, its KafkaTransactionManager and a TransactionTemplate over it
        String topic = "spring-transactions";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        producers.setTransactionIdPrefix("spring-tx-");
        KafkaTemplate<String, String> template = new KafkaTemplate<>(producers);
        TransactionTemplate transactions = new TransactionTemplate(new KafkaTransactionManager<>(producers));
        try {
            // When one transaction sends two records and returns, and the next sends one (acknowledged) and throws
            transactions.executeWithoutResult(status -> {
                template.send(topic, "k", "committed-1");
                template.send(topic, "k", "committed-2");
            });
            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                try {
                    // acknowledged before the failure, so the broker holds it when the rollback aborts it
                    template.send(topic, "k", "rolled-back").get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("send failed", e);
                }
                throw new IllegalStateException("business failure");
            })).isInstanceOf(IllegalStateException.class).hasMessage("business failure");
        } finally {
            producers.destroy();
        }

        // Then a read_committed consumer gets the two committed records only, a read_uncommitted one all three
        assertThat(readFromStart(topic, "read_committed", 2)).containsExactly("committed-1", "committed-2");
        assertThat(readFromStart(topic, "read_uncommitted", 3)).containsExactly("committed-1", "committed-2", "rolled-back");
    }

    private static List<String> readFromStart(String topic, String isolation, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    /** The version kafka-clients reports (its own {@code kafka/kafka-version.properties}; 4.x hides AppInfoParser). */
    private static String kafkaClientsVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ProducerConfig.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            assertThat(in).as("kafka-version.properties in kafka-clients").isNotNull();
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    /** The listener bean: what {@code @KafkaListener} delivered, in arrival order. */
    static class Listener {
        final BlockingQueue<ConsumerRecord<String, String>> records = new LinkedBlockingQueue<>();

        @KafkaListener(topics = "${tributary.topic}", groupId = "spring-group-${tributary.group.protocol}")
        void onRecord(ConsumerRecord<String, String> record) {
            records.add(record);
        }
    }

    /**
     * The whole application: plain Spring configuration; bootstrap servers, topic and group protocol from
     * the {@code tributary.*} properties.
     */
    @Configuration
    @EnableKafka
    static class Config {
        @Value("${tributary.bootstrap}")
        String bootstrap;
        @Value("${tributary.topic}")
        String topic;
        @Value("${tributary.group.protocol}")
        String groupProtocol;

        @Bean
        KafkaAdmin kafkaAdmin() {
            KafkaAdmin admin = new KafkaAdmin(Map.of("bootstrap.servers", bootstrap));
            admin.setFatalIfBrokerNotAvailable(true);
            return admin;
        }

        @Bean
        NewTopic springTopic() {
            return TopicBuilder.name(topic).partitions(2).replicas(1).build();
        }

        @Bean
        ProducerFactory<String, String> producerFactory() {
            return new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        }

        @Bean
        KafkaTemplate<String, String> kafkaTemplate(ProducerFactory<String, String> producerFactory) {
            return new KafkaTemplate<>(producerFactory);
        }

        @Bean
        ConsumerFactory<String, String> consumerFactory() {
            return new DefaultKafkaConsumerFactory<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol));
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
                ConsumerFactory<String, String> consumerFactory) {
            ConcurrentKafkaListenerContainerFactory<String, String> factory = new ConcurrentKafkaListenerContainerFactory<>();
            factory.setConsumerFactory(consumerFactory);
            return factory;
        }

        @Bean
        Listener listener() {
            return new Listener();
        }
    }
}
