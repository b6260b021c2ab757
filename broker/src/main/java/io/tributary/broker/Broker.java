package io.tributary.broker;

import io.tributary.log.LogManager;
import io.tributary.spi.CoreServices;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running broker: the data directory's lock and identity, the core services (built once, shared
 * by every listener) and one protocol adapter per listener.
 *
 * <pre>
 * start:  lock dir -&gt; meta.properties -&gt; CoreServices.start (log recovers, pipeline, groups replay) -&gt; listeners
 * close:  listeners -&gt; CoreServices.close (groups, pipeline drains accepted appends, log's clean-shutdown marker) -&gt; unlock
 * </pre>
 *
 * Thread-safe: {@link #close()} may be called from any thread, more than once.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final DataDirLock lock;
    private final MetaProperties meta;
    private final CoreServices services;
    private final List<ProtocolAdapter> adapters;
    private final Map<String, InetSocketAddress> boundAddresses;
    private final Path dataDir;
    private final List<String> ignoredKeys;
    private boolean closed;

    private Broker(DataDirLock lock, MetaProperties meta, CoreServices services, List<ProtocolAdapter> adapters,
                   Map<String, InetSocketAddress> boundAddresses, Path dataDir, List<String> ignoredKeys) {
        this.ignoredKeys = ignoredKeys;
        this.lock = lock;
        this.meta = meta;
        this.services = services;
        this.adapters = adapters;
        this.boundAddresses = boundAddresses;
        this.dataDir = dataDir;
    }

    /**
     * Starts a broker and returns once every listener is bound. On failure, whatever was started is
     * stopped again before the exception propagates.
     *
     * @throws IllegalStateException if a listener's port is taken, the data directory is in use or
     *                               belongs to another node id, or no protocol module serves a
     *                               listener; a data directory this start created is removed again
     * @throws Exception             whatever opening the log or binding a port throws
     */
    public static Broker start(BrokerConfig config) throws Exception {
        ListenerPorts.checkBindable(config.listeners());
        Path dir = config.logDir().toAbsolutePath().normalize();
        boolean newDirectory = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dir);
        } catch (RuntimeException e) {
            removeIfNew(dir, newDirectory, e);
            throw e;
        }
        List<AutoCloseable> started = new ArrayList<>();
        started.add(lock);
        try {
            MetaProperties meta = MetaProperties.loadOrCreate(dir, config.nodeId());
            CoreServices services = CoreServices.start(config.coreConfig(meta.clusterId()));
            started.add(services);
            ListenerAdapters finder = ListenerAdapters.discover();
            List<String> ignoredKeys = warnAboutUnknownKeys(config, finder);
            List<ProtocolAdapter> adapters = new ArrayList<>();
            Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
            for (ListenerConfig listener : config.listeners()) {
                ProtocolAdapter adapter = finder.create(listener, services);
                started.add(adapter);
                try {
                    adapter.start();
                } catch (java.net.BindException e) {
                    throw new IllegalStateException(ListenerPorts.cannotBind(listener, e), e);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start listener " + listener.name() + "://"
                            + listener.host() + ":" + listener.port() + ": " + e.getMessage(), e);
                }
                adapters.add(adapter);
                bound.put(listener.name(), adapter.boundAddress());
            }
            return new Broker(lock, meta, services, adapters, Collections.unmodifiableMap(bound), dir, ignoredKeys);
        } catch (Exception | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            removeIfNew(dir, newDirectory, e);
            throw e;
        }
    }

    /**
     * Deletes the data directory this failed start created, so that a start that never served leaves
     * no empty log behind. A directory that existed before is never touched.
     */
    private static void removeIfNew(Path dir, boolean newDirectory, Throwable failure) {
        if (!newDirectory) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * One warning per supplied key that neither the broker nor a protocol module reads, with a likely
     * fix; returns those keys, each with its fix.
     */
    private static List<String> warnAboutUnknownKeys(BrokerConfig config, ListenerAdapters modules) {
        List<String> ignored = new ArrayList<>();
        for (String key : config.unknownKeys()) {
            if (!modules.knowsConfigKey(key)) {
                String suggestion = BrokerConfig.suggestionFor(key);
                String fix = suggestion == null ? "" : " (did you mean '" + suggestion + "'?)";
                LOG.warn("Unknown configuration key '{}' is ignored{}", key, fix);
                ignored.add("'" + key + "'" + fix);
            }
        }
        return List.copyOf(ignored);
    }

    /** The supplied configuration keys that nothing reads, each as {@code 'key'} with a likely fix if one is known. */
    public List<String> ignoredKeys() {
        return ignoredKeys;
    }

    /** Bound address of each listener, by listener name, in configuration order. */
    public Map<String, InetSocketAddress> boundAddresses() {
        return boundAddresses;
    }

    /** Bound port of the listener named {@code listenerName} (e.g. {@code PLAINTEXT}). */
    public int port(String listenerName) {
        InetSocketAddress address = boundAddresses.get(listenerName);
        if (address == null) {
            throw new IllegalArgumentException("no listener " + listenerName + "; listeners: " + boundAddresses.keySet());
        }
        return address.getPort();
    }

    /** {@code host:port} of the first listener, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        InetSocketAddress first = boundAddresses.values().iterator().next();
        return first.getHostString() + ":" + first.getPort();
    }

    public String clusterId() {
        return meta.clusterId();
    }

    public int nodeId() {
        return meta.nodeId();
    }

    /** The absolute data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** The log, for tests and tools that inspect what was stored. */
    public LogManager log() {
        return services.log();
    }

    /**
     * Stops the listeners, then the core services (the pipeline finishes every accepted append, the log
     * closes cleanly), and releases the directory. Each step runs even if an earlier one failed; the first failure is
     * thrown afterwards with the others suppressed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        List<AutoCloseable> order = new ArrayList<>();
        for (int i = adapters.size() - 1; i >= 0; i--) {
            order.add(adapters.get(i));
        }
        order.add(services);
        order.add(lock);
        for (AutoCloseable step : order) {
            try {
                step.close();
            } catch (Exception e) {
                LOG.error("Shutdown step {} failed", step.getClass().getSimpleName(), e);
                if (failure == null) {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
