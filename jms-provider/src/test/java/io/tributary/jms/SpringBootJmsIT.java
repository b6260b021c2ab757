package io.tributary.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.jms.core.JmsTemplate;

import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application that knows the provider only through properties: its one bean is a
 * {@link TributaryConnectionFactory} made from {@code tributary.jms.url}; Boot's JMS auto-configuration
 * supplies the {@code JmsTemplate} and the {@code @JmsListener} container from {@code spring.jms.*}.
 */
@Timeout(120)
class SpringBootJmsIT {
    private static final long RECEIVE_MS = 30_000;

    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    /** The application: no component scan, so nothing else of this test package is picked up. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OrdersApplication {
        @Bean
        TributaryConnectionFactory connectionFactory(@Value("${tributary.jms.url}") String url) {
            return new TributaryConnectionFactory(url);
        }

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class Orders {
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

        @JmsListener(destination = "${orders.queue}")
        void onOrder(Message order) {
            received.add(order);
        }
    }

    @Test
    void aBootApplicationConfiguredThroughPropertiesSendsWithItsTemplateAndReceivesInItsListener() throws Exception {
        String queue = "boot-orders-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrdersApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "tributary.jms.url=tributary://" + BROKER.bootstrapServers() + "?sendTimeoutMs=30000",
                        "orders.queue=" + queue,
                        "spring.jms.template.default-destination=" + queue,
                        "spring.jms.template.qos-enabled=true",
                        "spring.jms.template.delivery-mode=non-persistent",
                        "spring.jms.template.priority=7")
                .run()) {
            // the template sends to its default destination, with the QoS the properties give it
            app.getBean(JmsTemplate.class).convertAndSend("order-1");

            Message order = app.getBean(Orders.class).received.poll(RECEIVE_MS, TimeUnit.MILLISECONDS);

            assertThat(order).isNotNull();
            assertThat(text(order)).isEqualTo("order-1");
            assertThat(order.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(order.getJMSPriority()).isEqualTo(7);
            assertThat(order.getJMSDestination().toString()).contains(queue);
        }
    }

    private static String text(Message m) throws JMSException {
        return ((TextMessage) m).getText();
    }
}
