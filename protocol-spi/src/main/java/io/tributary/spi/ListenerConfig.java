package io.tributary.spi;

/**
 * One entry of {@code listeners}, e.g. {@code PLAINTEXT://127.0.0.1:9092}.
 *
 * @param name             the listener name (also its security protocol unless mapped)
 * @param securityProtocol e.g. {@code PLAINTEXT}
 * @param host             bind address
 * @param port             bind port; 0 picks a free one
 * @param advertisedHost   host given to clients in metadata
 * @param advertisedPort   port given to clients in metadata; 0 means the bound port
 */
public record ListenerConfig(String name, String securityProtocol, String host, int port,
                             String advertisedHost, int advertisedPort) {
}
