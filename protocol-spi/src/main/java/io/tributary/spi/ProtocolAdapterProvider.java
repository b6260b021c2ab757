package io.tributary.spi;

/**
 * Entry point of a protocol module, found with {@link java.util.ServiceLoader}. A module lists its
 * implementation in {@code META-INF/services/io.tributary.spi.ProtocolAdapterProvider}.
 */
public interface ProtocolAdapterProvider {
    /** The protocol's name as used in listener config, e.g. {@code kafka}. */
    String protocol();

    /** Whether this protocol serves a listener with the given security protocol, e.g. {@code PLAINTEXT}. */
    boolean supports(ListenerConfig listener);

    /** A new, not yet started adapter for one listener. */
    ProtocolAdapter create(ListenerConfig listener, BrokerServices services);

    /**
     * The broker configuration keys this module reads from {@link BrokerSettings#all()} (e.g.
     * {@code group.max.size}), so that the broker does not warn about them as unknown. Default: none.
     */
    default java.util.Set<String> configKeys() {
        return java.util.Set.of();
    }
}
