package io.tributary.broker.it;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.testing.TributaryProcess;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile connections: more than max.connections.per.ip, and half-sent frames left hanging. */
@Timeout(120)
class ConnectionLimitsIT {
    @TempDir
    Path dataDir;

    @Test
    void connectionsOverThePerIpLimitAreClosedAndAFreedSlotIsUsableAgain() throws Exception {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("max.connections.per.ip", "3");
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            assertThat(broker.ignoredKeys()).isEmpty();
            int port = broker.port("PLAINTEXT");
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    open.add(new Socket("127.0.0.1", port));
                }
                // Exactly one of the four is closed: whichever the broker counted fourth (two event
                // loops accept them, so not necessarily the last one connected)
                Socket refused = null;
                long until = System.nanoTime() + 30_000_000_000L;
                while (refused == null && System.nanoTime() < until) {
                    for (Socket s : open) {
                        if (closedByBroker(s, 100)) {
                            refused = s;
                            break;
                        }
                    }
                }
                assertThat(refused).as("a connection over the limit closed").isNotNull();
                open.remove(refused);
                refused.close();
                for (Socket s : open) {
                    assertThat(closedByBroker(s, 200)).as("the other three stay open").isFalse();
                }

                open.remove(0).close();
                open.remove(0).close();
                // Then a client (bootstrap and node connection: two) can connect again once the broker has
                // seen the closes
                long deadline = System.nanoTime() + 30_000_000_000L;
                boolean served = false;
                while (!served && System.nanoTime() < deadline) {
                    try (Admin admin = Clients.admin("127.0.0.1:" + port)) {
                        served = admin.describeCluster().nodes().get().size() == 1;
                    } catch (Exception e) {
                        Thread.sleep(200);
                    }
                }
                assertThat(served).isTrue();
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void halfSentFramesAreClosedAfterTheIdleTimeout() throws Exception {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("connections.max.idle.ms", "1000");
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket s = new Socket("127.0.0.1", broker.port("PLAINTEXT"));
                    // a size prefix announcing 100 bytes, then 10 of them, then nothing
                    s.getOutputStream().write(new byte[] {0, 0, 0, 100, 0, 18, 0, 3, 0, 0, 0, 1, 0, 0});
                    s.getOutputStream().flush();
                    stalled.add(s);
                }
                for (Socket s : stalled) {
                    assertThat(closedByBroker(s, 30_000)).isTrue();
                }
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
        }
    }

    /** Whether the broker closes {@code socket} (end of stream or reset) within {@code millis}. */
    private static boolean closedByBroker(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
