package io.tributary.broker;

import io.tributary.spi.ListenerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Checks, before the broker touches its data directory, that every listener's fixed port can be
 * bound, so that a port clash fails at once with one clear line instead of after log recovery, and
 * leaves nothing behind. A port taken between this check and the real bind still fails the start,
 * only later.
 */
final class ListenerPorts {
    private ListenerPorts() {
    }

    /** @throws IllegalStateException naming the listener and what to do, for the first port that cannot be bound */
    static void checkBindable(List<ListenerConfig> listeners) {
        for (ListenerConfig listener : listeners) {
            if (listener.port() == 0) {
                continue;
            }
            InetSocketAddress address = listener.host() == null || listener.host().isEmpty()
                    ? new InetSocketAddress(listener.port())
                    : new InetSocketAddress(listener.host(), listener.port());
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(address);
            } catch (IOException e) {
                throw new IllegalStateException(cannotBind(listener, e), e);
            }
        }
    }

    /** The one line a failed bind of {@code listener} is reported with. */
    static String cannotBind(ListenerConfig listener, IOException cause) {
        String where = listener.name() + "://" + listener.host() + ":" + listener.port();
        String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return "cannot bind listener " + where + ": " + reason + " (is another broker running there? stop it, or "
                + "choose another port: listeners=" + listener.name() + "://" + listener.host() + ":<port>)";
    }
}
