package io.tributary.broker;

import io.tributary.spi.BrokerServices;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import io.tributary.spi.ProtocolAdapterProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A protocol module for unit tests of the broker's wiring: serves only listeners named {@code FAKE},
 * binds a plain server socket and accepts nothing. Registered in the test class path's
 * {@code META-INF/services}, so real listeners ({@code PLAINTEXT}) still go to the Kafka module.
 */
public final class FakeProtocolProvider implements ProtocolAdapterProvider {
    /** Every adapter created in this JVM, for assertions. */
    static final List<Adapter> CREATED = new CopyOnWriteArrayList<>();

    @Override
    public String protocol() {
        return "fake";
    }

    @Override
    public boolean supports(ListenerConfig listener) {
        return listener.securityProtocol().equals("FAKE");
    }

    @Override
    public java.util.Set<String> configKeys() {
        return java.util.Set.of("fake.setting");
    }

    @Override
    public ProtocolAdapter create(ListenerConfig listener, BrokerServices services) {
        Adapter adapter = new Adapter(listener, services);
        CREATED.add(adapter);
        return adapter;
    }

    static final class Adapter implements ProtocolAdapter {
        final ListenerConfig listener;
        final BrokerServices services;
        private ServerSocket socket;
        volatile boolean closed;

        Adapter(ListenerConfig listener, BrokerServices services) {
            this.listener = listener;
            this.services = services;
        }

        @Override
        public void start() throws IOException {
            socket = new ServerSocket(listener.port(), 1, InetAddress.getByName(listener.host()));
        }

        @Override
        public InetSocketAddress boundAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            closed = true;
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
