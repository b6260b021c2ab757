package io.tributary.kafka;

import io.tributary.delivery.share.ShareConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.internal.DiskFaults;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.spi.BrokerSettings;
import io.tributary.spi.CoreConfig;
import io.tributary.spi.CoreServices;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import io.tributary.spi.ProtocolAdapterProvider;
import io.tributary.transactions.TransactionConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The core services (as {@link CoreServices} wires them for the broker) and a Kafka listener on
 * 127.0.0.1 with an ephemeral port, the adapter found through {@link ServiceLoader} as the broker finds it. Close it to stop everything.
 */
final class TestBroker implements AutoCloseable {
    static final int NODE_ID = 1;
    static final String CLUSTER_ID = "tributary-test-cluster";
    static final int MAX_REQUEST_BYTES = 1 << 20;

    private final CoreServices services;
    private final ProtocolAdapter adapter;

    private TestBroker(CoreServices services, ProtocolAdapter adapter) {
        this.services = services;
        this.adapter = adapter;
    }

    static TestBroker start(Path dir) throws Exception {
        return start(dir, LogManager.open(LogManagerConfig.builder(dir).build()));
    }

    /** As {@link #start(Path)}, with these share-group settings. */
    static TestBroker start(Path dir, ShareConfig shares) throws Exception {
        return start(dir, LogManager.open(LogManagerConfig.builder(dir).build()), shares,
                TransactionConfig.defaults(), 0);
    }

    /** As {@link #start(Path)}, over a log whose files fail as {@code faults} say. */
    static TestBroker start(Path dir, DiskFaults faults) throws Exception {
        return start(dir, faults.open(LogManagerConfig.builder(dir).build()));
    }

    /** As {@link #start(Path)}, with the transaction coordinator configured as {@code transactions} says. */
    static TestBroker start(Path dir, TransactionConfig transactions) throws Exception {
        return start(dir, LogManager.open(LogManagerConfig.builder(dir).build()), ShareConfig.defaults(), transactions, 0);
    }

    /** As {@link #start(Path)}, listening on {@code port} (to restart a broker where its clients look for it). */
    static TestBroker start(Path dir, int port) throws Exception {
        return start(dir, LogManager.open(LogManagerConfig.builder(dir).build()), ShareConfig.defaults(),
                TransactionConfig.defaults(), port);
    }

    /** As {@link #start(Path)}, with these broker settings besides {@code num.network.threads=2}. */
    static TestBroker start(Path dir, Map<String, String> extraSettings) throws Exception {
        return start(dir, LogManager.open(LogManagerConfig.builder(dir).build()), ShareConfig.defaults(),
                TransactionConfig.defaults(), 0, extraSettings);
    }

    private static TestBroker start(Path dir, LogManager log) throws Exception {
        return start(dir, log, ShareConfig.defaults(), TransactionConfig.defaults(), 0);
    }

    private static TestBroker start(Path dir, LogManager log, ShareConfig shares, TransactionConfig transactions,
                                    int port) throws Exception {
        return start(dir, log, shares, transactions, port, Map.of());
    }

    private static TestBroker start(Path dir, LogManager log, ShareConfig shares, TransactionConfig transactions,
                                    int port, Map<String, String> extraSettings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(extraSettings);
        all.put("num.network.threads", "2");
        BrokerSettings settings = new BrokerSettings(NODE_ID, CLUSTER_ID, 1, true, MAX_REQUEST_BYTES, 60_000L,
                Map.copyOf(all), java.util.Set.copyOf(all.keySet()));
        CoreConfig config = CoreConfig.builder(LogManagerConfig.builder(dir).build(), settings)
                .pipeline(PipelineConfig.builder().stateDir(dir).ringSize(1024).build())
                .shares(shares)
                .transactions(transactions)
                .build();
        CoreServices services = CoreServices.start(config, log);
        ListenerConfig listener = new ListenerConfig("PLAINTEXT", "PLAINTEXT", "127.0.0.1", port, null, 0);
        ProtocolAdapterProvider provider = ServiceLoader.load(ProtocolAdapterProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.protocol().equals("kafka") && p.supports(listener))
                .findFirst().orElseThrow();
        ProtocolAdapter adapter = provider.create(listener, services);
        try {
            adapter.start();
        } catch (Exception e) {
            services.close();
            throw e;
        }
        return new TestBroker(services, adapter);
    }

    String bootstrap() {
        return "127.0.0.1:" + adapter.boundAddress().getPort();
    }

    int port() {
        return adapter.boundAddress().getPort();
    }

    LogManager log() {
        return services.log();
    }

    io.tributary.transactions.HalfTransactionCoordinator halfTransactions() {
        return services.halfTransactions();
    }

    @Override
    public void close() {
        adapter.close();
        services.close();
    }
}
