package io.tributary.spi;

import java.net.InetSocketAddress;

/** One running listener of one protocol. */
public interface ProtocolAdapter extends AutoCloseable {
    /**
     * Binds the listener and starts serving; returns once the port is bound.
     *
     * @throws Exception if the port cannot be bound
     */
    void start() throws Exception;

    /** The address actually bound (the port is resolved when the config asked for port 0). */
    InetSocketAddress boundAddress();

    /** Stops accepting, closes connections, waits for the event loops to end. */
    @Override
    void close();
}
