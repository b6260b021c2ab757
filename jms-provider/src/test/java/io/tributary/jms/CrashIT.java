package io.tributary.jms;

import io.tributary.broker.testing.TributaryProcess;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a broker (a child JVM) while a PERSISTENT producer and a CLIENT_ACKNOWLEDGE durable subscriber run:
 * after a restart on the same data directory, every send the producer saw acknowledged is there, and nothing the
 * subscriber acknowledged comes back.
 */
@Timeout(300)
class CrashIT {
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path runDir;
    private TributaryProcess broker;

    @AfterEach
    void killBroker() throws InterruptedException {
        if (broker != null) {
            broker.child().kill();
        }
    }

    /** A broker over {@code runDir/data}; each start has its own folder for its configuration and output. */
    private TributaryProcess startBroker(String name) throws Exception {
        return TributaryProcess.startIn(runDir.resolve(name), System.getProperty("java.class.path"),
                Map.of("log.dirs", runDir.resolve("data").toString()), START);
    }

    @Test
    void acknowledgedSendsSurviveAndAcknowledgedReceiptsStayGone() throws Exception {
        broker = startBroker("first");
        Set<String> sendAcknowledged = ConcurrentHashMap.newKeySet();
        Set<String> receiptAcknowledged = ConcurrentHashMap.newKeySet();
        // Receipts whose acknowledge() was under way when the broker died: the broker may have stored the
        // acknowledgement though the client never heard back, so either outcome is allowed for them.
        Set<String> acknowledgeInFlight = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        String url = "tributary://" + broker.bootstrapServers() + "?clientId=crash&sendTimeoutMs=5000";

        Connection producerConnection = new TributaryConnectionFactory(url).createConnection();
        Connection consumerConnection = new TributaryConnectionFactory(url).createConnection();
        Session consumerSession = consumerConnection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic topic = consumerSession.createTopic("crash");
        MessageConsumer subscriber = consumerSession.createDurableConsumer(topic, "sub");
        consumerConnection.start();
        Thread producing = new Thread(() -> {
            try {
                Session session = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(topic);
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; ; i++) {
                    producer.send(session.createTextMessage("m" + i));
                    sendAcknowledged.add("m" + i);
                }
            } catch (JMSException | RuntimeException expectedOnKill) {
                // the broker was killed under the send
            }
        }, "crash-producer");
        Thread consuming = new Thread(() -> {
            List<String> unacknowledged = new ArrayList<>();
            try {
                while (true) {
                    Message m = subscriber.receive(1000);
                    if (m == null) {
                        continue;
                    }
                    unacknowledged.add(((TextMessage) m).getText());
                    if (unacknowledged.size() == 7) {
                        acknowledgeInFlight.addAll(unacknowledged);
                        m.acknowledge();
                        receiptAcknowledged.addAll(unacknowledged);
                        acknowledgeInFlight.removeAll(unacknowledged);
                        unacknowledged.clear();
                    }
                }
            } catch (JMSException | RuntimeException expectedOnKill) {
                // the broker was killed under the acknowledgement, or the consumer was closed
            } catch (Throwable t) {
                unexpected.set(t);
            }
        }, "crash-consumer");
        producing.start();
        consuming.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((sendAcknowledged.size() < 300 || receiptAcknowledged.size() < 70) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sendAcknowledged.size()).as("sends acknowledged before the kill").isGreaterThanOrEqualTo(300);
        assertThat(receiptAcknowledged.size()).as("receipts acknowledged before the kill").isGreaterThanOrEqualTo(70);

        broker.child().kill();
        producing.join(60_000);
        Set<String> sentBeforeKill = new HashSet<>(sendAcknowledged);
        Set<String> ackedBeforeKill = new HashSet<>(receiptAcknowledged);
        producerConnection.close();
        consumerConnection.close();
        consuming.join(60_000);
        assertThat(unexpected.get()).isNull();

        broker = startBroker("after-kill");
        String restarted = "tributary://" + broker.bootstrapServers() + "?clientId=crash";
        Set<String> afterRestart = new HashSet<>();
        try (Connection connection = new TributaryConnectionFactory(restarted).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer again = session.createDurableConsumer(session.createTopic("crash"), "sub");
            connection.start();
            Message m;
            while ((m = again.receive(10_000)) != null) {
                afterRestart.add(((TextMessage) m).getText());
            }
        }

        Set<String> lost = new HashSet<>(sentBeforeKill);
        lost.removeAll(ackedBeforeKill);
        lost.removeAll(acknowledgeInFlight);
        lost.removeAll(afterRestart);
        assertThat(lost).as("acknowledged sends missing after the restart").isEmpty();
        Set<String> back = new HashSet<>(afterRestart);
        back.retainAll(ackedBeforeKill);
        assertThat(back).as("acknowledged receipts delivered again").isEmpty();
    }
}
