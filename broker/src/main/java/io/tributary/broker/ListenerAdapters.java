package io.tributary.broker;

import io.tributary.spi.BrokerServices;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import io.tributary.spi.ProtocolAdapterProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds, for each listener, the protocol module that serves it, among those on the class path. */
final class ListenerAdapters {
    /** Kafka's per-listener form of a key: {@code listener.name.<name>.<key>}. */
    private static final java.util.regex.Pattern LISTENER_PREFIX =
            java.util.regex.Pattern.compile("^listener\\.name\\.[^.]+\\.");
    private final List<ProtocolAdapterProvider> providers = new ArrayList<>();

    private ListenerAdapters(Iterable<ProtocolAdapterProvider> providers) {
        providers.forEach(this.providers::add);
    }

    /** The providers {@link ServiceLoader} finds on the class path of this class. */
    static ListenerAdapters discover() {
        return new ListenerAdapters(ServiceLoader.load(ProtocolAdapterProvider.class,
                ListenerAdapters.class.getClassLoader()));
    }

    /**
     * Whether a protocol module on the class path reads {@code key} from the broker settings, itself or
     * in its per-listener form {@code listener.name.<name>.<key>}.
     */
    boolean knowsConfigKey(String key) {
        String perListener = LISTENER_PREFIX.matcher(key).replaceFirst("");
        for (ProtocolAdapterProvider provider : providers) {
            if (!perListener.equals(key) && provider.configKeys().contains(perListener)) {
                return true;
            }
            if (provider.configKeys().contains(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new, not yet started adapter for {@code listener}, from the first provider that supports it.
     *
     * @throws IllegalStateException if no provider supports it
     */
    ProtocolAdapter create(ListenerConfig listener, BrokerServices services) {
        for (ProtocolAdapterProvider provider : providers) {
            if (provider.supports(listener)) {
                return provider.create(listener, services);
            }
        }
        List<String> names = providers.stream().map(ProtocolAdapterProvider::protocol).toList();
        throw new IllegalStateException("no protocol module serves listener " + listener.name() + "://"
                + listener.host() + ":" + listener.port() + " (security protocol " + listener.securityProtocol()
                + "); protocol modules found: " + names);
    }
}
