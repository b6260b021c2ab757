package io.tributary.perf.transport.kafka;

import io.tributary.perf.transport.ConsumerDriver;
import io.tributary.perf.transport.ConsumerSettings;
import io.tributary.perf.transport.ProducerDriver;
import io.tributary.perf.transport.ProducerSettings;
import io.tributary.perf.transport.Transport;
import io.tributary.perf.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Kafka transport: one {@link Admin} client (made on first use) plus producers and consumers
 * configured from {@link ProducerSettings} / {@link ConsumerSettings} and the extra client
 * properties given to {@code --transport-prop}.
 */
final class KafkaTransport implements Transport {

    private final String bootstrap;
    private final Map<String, String> properties;
    private Admin admin;

    KafkaTransport(String bootstrap, Map<String, String> properties) {
        this.bootstrap = bootstrap;
        this.properties = Map.copyOf(properties);
    }

    @Override
    public void ensureTopic(String topic, int partitions, Duration timeout) {
        try {
            admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new TransportException("could not create topic " + topic, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new TransportException("creating topic " + topic + " timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted creating topic " + topic, e);
        }
    }

    @Override
    public int partitionCount(String topic, Duration timeout) {
        try {
            TopicDescription d = admin().describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return d.partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            throw new TransportException("could not describe topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted describing topic " + topic, e);
        }
    }

    @Override
    public ProducerDriver producer(ProducerSettings settings) {
        return new KafkaProducerDriver(KafkaConfigs.producer(bootstrap, properties, settings), settings.topic());
    }

    @Override
    public ConsumerDriver consumer(ConsumerSettings settings) {
        return new KafkaConsumerDriver(KafkaConfigs.consumer(bootstrap, properties, settings), settings);
    }

    private Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.putAll(properties);
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            admin = Admin.create(p);
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
