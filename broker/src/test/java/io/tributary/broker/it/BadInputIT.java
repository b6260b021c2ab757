package io.tributary.broker.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.broker.Broker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed input on raw sockets against the full broker: the connection is answered with an error or
 * closed, a log line says why, and a real producer on another connection is not disturbed.
 */
@ExtendWith(TributaryExtension.class)
@Timeout(60)
@BrokerProperties("socket.request.max.bytes=4096")
class BadInputIT {

    enum BadInput {
        /** Size prefix above socket.request.max.bytes: refused before anything is allocated. */
        OVERSIZED_FRAME(false) {
            @Override
            byte[] bytes() {
                return ByteBuffer.allocate(12).putInt(4097).putInt(0x00120003).putInt(1).array();
            }
        },
        /** Size prefix promises 100 bytes, 10 arrive, then the client half-closes. */
        TRUNCATED_FRAME(true) {
            @Override
            byte[] bytes() {
                return ByteBuffer.allocate(14).putInt(100).putShort((short) 18).putShort((short) 3).putInt(1)
                        .putShort((short) 0).array();
            }
        },
        /** A complete frame whose header names API key 9999. */
        UNKNOWN_API_KEY(false) {
            @Override
            byte[] bytes() {
                return frame(ByteBuffer.allocate(10).putShort((short) 9999).putShort((short) 0).putInt(7)
                        .putShort((short) -1).array());
            }
        },
        /** A Produce v9 header followed by bytes that are no Produce request. */
        GARBAGE_BODY(false) {
            @Override
            byte[] bytes() {
                ByteBuffer b = ByteBuffer.allocate(64).putShort((short) 0).putShort((short) 9).putInt(8)
                        .putShort((short) 1).put((byte) 'x').put((byte) 0);
                while (b.hasRemaining()) {
                    b.put((byte) 0xff);
                }
                return frame(b.array());
            }
        };

        final boolean halfClose;

        BadInput(boolean halfClose) {
            this.halfClose = halfClose;
        }

        abstract byte[] bytes();

        static byte[] frame(byte[] body) {
            return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
        }
    }

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger tributaryLogger = (Logger) LoggerFactory.getLogger("io.tributary");

    @BeforeEach
    void captureLogs() {
        logs.start();
        tributaryLogger.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        tributaryLogger.detachAppender(logs);
        logs.stop();
    }

    @ParameterizedTest
    @EnumSource(BadInput.class)
    void badInputIsRefusedWhileAProducerKeepsWorking(BadInput input, Broker broker) throws Exception {
        String topic = "steady-" + input.name().toLowerCase();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            // Given a producer that works
            assertThat(producer.send(new ProducerRecord<>(topic, new byte[]{1})).get(15, TimeUnit.SECONDS).offset()).isZero();
            int eventsBefore = logs.list.size();

            // When the bad input arrives on another connection
            Outcome outcome = send(broker.port("PLAINTEXT"), input);

            // Then that connection is closed (or answered), a warning about that connection says why,
            // and the producer still works
            assertThat(outcome.closedOrAnswered()).as("connection closed or answered within 10 s").isTrue();
            assertThat(awaitWarning(eventsBefore, "127.0.0.1:" + outcome.localPort()))
                    .as("warning naming the connection").isNotEmpty();
            assertThat(producer.send(new ProducerRecord<>(topic, new byte[]{2})).get(15, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
    }

    /** Whether the server closed or answered the connection within 10 s, and the client port the broker saw. */
    private record Outcome(boolean closedOrAnswered, int localPort) {
    }

    /** Sends the input and reads until the server closes or answers. */
    private static Outcome send(int port, BadInput input) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            int localPort = socket.getLocalPort();
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(input.bytes());
            socket.getOutputStream().flush();
            if (input.halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            try {
                in.read(); // -1 when closed; a byte when an error response came back
                return new Outcome(true, localPort);
            } catch (SocketTimeoutException e) {
                return new Outcome(false, localPort);
            } catch (SocketException e) {
                return new Outcome(true, localPort); // reset by the server
            }
        }
    }

    /** WARN or ERROR lines logged since {@code eventsBefore} that contain {@code text}, waiting up to 5 s for one. */
    private List<String> awaitWarning(int eventsBefore, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<String> lines;
            synchronized (logs) {
                lines = logs.list.subList(eventsBefore, logs.list.size()).stream()
                        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                        .map(ILoggingEvent::getFormattedMessage)
                        .filter(m -> m.contains(text)).toList();
            }
            if (!lines.isEmpty()) {
                return lines;
            }
            Thread.sleep(20);
        }
        return List.of();
    }
}
