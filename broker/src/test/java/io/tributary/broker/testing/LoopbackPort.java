package io.tributary.broker.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on {@code 127.0.0.1}, for a child whose listener port must be known before it starts. */
public final class LoopbackPort {
    private LoopbackPort() {
    }

    /**
     * A port that was free on the loopback address a moment ago (for example Kafka's controller quorum, which
     * cannot bind port 0). Another process may take it first; the child then fails to start, loudly, instead of
     * a test reaching the wrong server.
     */
    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
