package io.tributary.jms;

import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring JMS over the provider: JmsTemplate through a CachingConnectionFactory into a DefaultMessageListenerContainer. */
@Timeout(120)
class SpringJmsIT {
    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    @Test
    void jmsTemplateSendsAndAListenerContainerReceives() throws Exception {
        CachingConnectionFactory connections = new CachingConnectionFactory(BROKER.factory());
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(3);
        DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.setPubSubDomain(true);
        container.setDestinationName("spring-orders");
        container.setCacheLevel(DefaultMessageListenerContainer.CACHE_CONSUMER);
        container.setMessageListener((jakarta.jms.MessageListener) m -> {
            try {
                got.add(((TextMessage) m).getText() + "/" + m.getStringProperty("source"));
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
            all.countDown();
        });
        container.afterPropertiesSet();
        container.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!container.isRegisteredWithDestination() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(container.isRegisteredWithDestination()).isTrue();

            JmsTemplate template = new JmsTemplate(connections);
            template.setPubSubDomain(true);
            for (String order : List.of("o1", "o2", "o3")) {
                template.convertAndSend("spring-orders", order, m -> {
                    m.setStringProperty("source", "template");
                    return m;
                });
            }

            assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(got).containsExactly("o1/template", "o2/template", "o3/template");
        } finally {
            container.shutdown();
            connections.destroy();
        }
    }

    @Test
    void aContainerWithConcurrentConsumersOnAQueueGetsEachMessageOnce() throws Exception {
        int n = 30;
        CachingConnectionFactory connections = new CachingConnectionFactory(BROKER.factory());
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(n);
        DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.setDestinationName("spring-work");
        container.setConcurrentConsumers(3);
        container.setCacheLevel(DefaultMessageListenerContainer.CACHE_CONSUMER);
        container.setMessageListener((jakarta.jms.MessageListener) m -> {
            try {
                got.add(((TextMessage) m).getText());
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
            all.countDown();
        });
        container.afterPropertiesSet();
        try {
            // sent before the container starts: a queue keeps them
            JmsTemplate template = new JmsTemplate(connections);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                template.convertAndSend("spring-work", "w" + i);
                sent.add("w" + i);
            }
            container.start();

            assertThat(all.await(90, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1_000);
            assertThat(got).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        } finally {
            container.shutdown();
            connections.destroy();
        }
    }
}
