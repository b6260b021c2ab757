package io.tributary.kafka;

import io.tributary.transactions.TransactionCoordinator;
import io.tributary.transactions.TransactionVersion;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tributary.kafka.admin.AdminApis;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.ApiHandlers;
import io.tributary.kafka.api.ApiVersionsHandler;
import io.tributary.kafka.api.BrokerEndpoint;
import io.tributary.kafka.api.CreateTopicsHandler;
import io.tributary.kafka.api.DescribeTopicPartitionsHandler;
import io.tributary.kafka.api.FetchHandler;
import io.tributary.kafka.api.FetchPurgatory;
import io.tributary.kafka.share.ShareApis;
import io.tributary.kafka.api.InitProducerIdHandler;
import io.tributary.kafka.api.ListOffsetsHandler;
import io.tributary.kafka.api.MetadataHandler;
import io.tributary.kafka.api.ProduceHandler;
import io.tributary.kafka.group.GroupApis;
import io.tributary.kafka.half.HalfApis;
import io.tributary.kafka.txn.TxnApis;
import io.tributary.kafka.network.ConnectionHandler;
import io.tributary.kafka.network.ConnectionLimiter;
import io.tributary.kafka.network.FileRegionReader;
import io.tributary.kafka.network.FrameDecoder;
import io.tributary.kafka.network.RateLimitedLog;
import io.tributary.kafka.network.RequestDispatcher;
import io.tributary.kafka.network.Identity;
import io.tributary.kafka.security.AuthorizationGate;
import io.tributary.kafka.security.SaslApis;
import io.tributary.kafka.security.QuotaApis;
import io.tributary.kafka.security.QuotaGate;
import io.tributary.security.acl.Authorizer;
import io.tributary.kafka.security.SaslAuthenticator;
import io.tributary.security.sasl.SaslMechanisms;
import io.tributary.kafka.network.ListenerTls;
import io.tributary.security.tls.ServerTls;
import io.tributary.security.tls.TlsConfig;
import io.tributary.spi.BrokerServices;
import io.tributary.spi.BrokerSettings;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One Kafka listener on Netty NIO: one acceptor thread, {@code num.network.threads} (default
 * {@value #DEFAULT_NETWORK_THREADS}) event loops for connections, and one admin thread for the
 * few requests that write files outside the ingest pipeline (topic creation, producer ids).
 *
 * <pre>
 *  socket ─> ConnectionLimiter ─> [SslHandler ─> FileRegionReader] ─> IdleStateHandler ─> FrameDecoder ─> ConnectionHandler ─> [SaslAuthenticator] ─> QuotaGate ─> [AuthorizationGate] ─> ApiHandlers ─> XxxHandler
 *            max.connections[.per.ip]  SSL, SASL_SSL listeners only      connections.max.idle.ms  socket.request.max.bytes   decode, order responses   SASL_* listeners only   client quotas  authorizer.class.name set
 * </pre>
 *
 * <p>An SSL listener reads Kafka's {@code ssl.*} keys ({@link TlsConfig}) and builds its
 * {@link ServerTls} once at start; a store that cannot be read fails the start. A SASL listener
 * reads Kafka's {@code sasl.*} keys ({@link SaslMechanisms}) and gives each connection a
 * {@link SaslAuthenticator}; the SCRAM users are the broker's one credential store.
 */
public final class KafkaProtocolAdapter implements ProtocolAdapter {
    public static final int DEFAULT_NETWORK_THREADS = 2;
    public static final String NETWORK_THREADS_KEY = "num.network.threads";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProtocolAdapter.class);
    /** ApiVersions' finalized-features epoch: the time this broker process loaded the adapter, so it grows at each start. */
    private static final long FEATURES_EPOCH = System.currentTimeMillis();

    private final ListenerConfig listener;
    private final BrokerServices services;
    private final FetchPurgatory purgatory = new FetchPurgatory();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ExecutorService admin;
    private Channel serverChannel;
    private InetSocketAddress bound;
    private volatile ApiHandlers handlers;
    private ListenerTls tls;
    private SaslMechanisms sasl;
    private Authorizer authorizer;
    /** WARN lines clients can cause on this listener: one per kind and 10 s, then a count. */
    private final RateLimitedLog warnings = new RateLimitedLog(10_000);

    KafkaProtocolAdapter(ListenerConfig listener, BrokerServices services) {
        this.listener = listener;
        this.services = services;
    }

    @Override
    public void start() throws Exception {
        BrokerSettings settings = services.settings();
        SecurityProtocol protocol = SecurityProtocol.of(listener.securityProtocol());
        if (protocol.tls()) {
            tls = serverTls(settings);
        }
        if (protocol.sasl()) {
            sasl = saslMechanisms(settings);
        }
        try {
            authorizer = services.authorizer();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up authorization: " + e.getMessage(), e);
        }
        try {
            services.clientQuotas();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid quota settings: " + e.getMessage(), e);
        }
        ConnectionLimiter limiter;
        try {
            limiter = new ConnectionLimiter(services.connectionQuota(), warnings);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid connection limits: " + e.getMessage(), e);
        }
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kafka-accept-" + listener.name()),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(networkThreads(settings),
                new DefaultThreadFactory("kafka-network-" + listener.name()), NioIoHandler.newFactory());
        admin = Executors.newSingleThreadExecutor(new DefaultThreadFactory("kafka-admin-" + listener.name()));
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ConnectionHandler.WRITE_BUFFER)
                    .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, ConnectionHandler.SIZE_ESTIMATOR)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(limiter);
                            Identity identity = new Identity();
                            if (tls != null) {
                                SslHandler ssl = tls.newHandler(ch.alloc());
                                ssl.handshakeFuture().addListener(done -> {
                                    if (done.isSuccess()) {
                                        identity.authenticated(ServerTls.principal(ssl.engine().getSession()));
                                    }
                                });
                                ch.pipeline().addLast(ssl, new FileRegionReader());
                            }
                            ch.pipeline().addLast(
                                    new IdleStateHandler(0, 0, settings.connectionsMaxIdleMs(), TimeUnit.MILLISECONDS),
                                    new FrameDecoder(settings.socketRequestMaxBytes(), warnings),
                                    new ConnectionHandler(dispatcher(identity), settings.socketRequestMaxBytes(), identity,
                                            warnings));
                        }
                    });
            serverChannel = bootstrap.bind(listener.host(), listener.port()).sync().channel();
            bound = (InetSocketAddress) serverChannel.localAddress();
            handlers = createHandlers(settings);
            services.ingest().addCommitListener(purgatory);
            // Accepting starts only now: the handlers need the bound port for metadata.
            serverChannel.config().setAutoRead(true);
            LOG.info("Kafka listener {} bound to {}, advertised as {}:{}", listener.name(), bound,
                    endpoint(settings).host(), endpoint(settings).port());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * The handlers, behind the authorization gate when an authorizer is configured, and behind a SASL
     * gate of the connection's own on SASL listeners.
     */
    private RequestDispatcher dispatcher(Identity identity) {
        RequestDispatcher authorized = authorizer == null ? handlers
                : new AuthorizationGate(authorizer, services.log(), services.settings(), handlers);
        RequestDispatcher metered = new QuotaGate(services.clientQuotas(), authorized);
        return sasl == null ? metered : new SaslAuthenticator(sasl, metered, identity);
    }

    private SaslMechanisms saslMechanisms(BrokerSettings settings) {
        try {
            return SaslMechanisms.fromKafkaKeys(settings.all(), listener.name(), services.scramCredentials());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("listener " + listener.name() + ": cannot set up SASL: " + e.getMessage(), e);
        }
    }

    private ListenerTls serverTls(BrokerSettings settings) {
        try {
            return ListenerTls.create(ServerTls.create(TlsConfig.fromKafkaKeys(settings.all(), listener.name())),
                    listener.name());
        } catch (java.security.GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("listener " + listener.name() + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private ApiHandlers createHandlers(BrokerSettings settings) {
        Map<ApiKeys, ApiHandler> map = new EnumMap<>(ApiKeys.class);
        TransactionVersion transactionVersion = services.transactions().transactionVersion();
        map.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(settings, transactionVersion, FEATURES_EPOCH));
        map.put(ApiKeys.METADATA, new MetadataHandler(services.log(), settings, endpoint(settings), admin));
        map.put(ApiKeys.DESCRIBE_TOPIC_PARTITIONS,
                new DescribeTopicPartitionsHandler(services.log(), endpoint(settings), authorizer));
        TransactionCoordinator coordinator = services.transactions();
        map.put(ApiKeys.PRODUCE, new ProduceHandler(services.log(), services.ingest(), coordinator::checkProduce,
                transactionVersion == TransactionVersion.V2 ? coordinator::addPartitionsAhead : null));
        map.put(ApiKeys.FETCH, new FetchHandler(services.log(), services.ingest()::transactions, purgatory,
                services.readExecutor()));
        map.put(ApiKeys.LIST_OFFSETS, new ListOffsetsHandler(services.log(), services.ingest()::transactions,
                services.readExecutor()));
        map.put(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler(services.log(), settings, admin));
        map.put(ApiKeys.INIT_PRODUCER_ID, new InitProducerIdHandler(services.ingest().producerIds(),
                services.transactions(), admin));
        GroupApis.register(map, services.groups(), services.log(), endpoint(settings),
                services.transactions()::hasPendingOffset);
        AdminApis.register(map, services.log(), services.ingest(), settings, endpoint(settings), admin,
                services.shares()::configuredGroupIds, this::topicDeleted);
        ShareApis.register(map, services.shares(), services.groups(), services.log(), purgatory,
                services.readExecutor(), services.ingest()::transactions);
        TxnApis.register(map, services.transactions(), services.groups(), services.log(), services.ingest());
        SaslApis.register(map, services.scramCredentials(), authorizer, admin);
        QuotaApis.register(map, services.clientQuotas().store(), admin);
        Map<Short, ApiHandler> extensions = new HashMap<>();
        HalfApis.register(extensions, services.halfTransactions(), services.log());
        return ApiHandlers.of(map, extensions);
    }

    /**
     * Has the group coordinator forget a deleted topic's committed offsets, and the share engine its share-group
     * state, as Kafka's group and share coordinators do.
     */
    private void topicDeleted(String topic) {
        services.groups().topicDeleted(topic).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("Could not drop the committed offsets of deleted topic {}: {}", topic, failure.toString());
            }
        });
        services.shares().topicDeleted(topic).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("Could not drop the share-group state of deleted topic {}: {}", topic, failure.toString());
            }
        });
    }

    /**
     * The advertised host and port, else the bound ones; a wildcard bind (0.0.0.0) advertises this
     * machine's canonical host name, as Kafka does, since clients cannot connect to 0.0.0.0.
     */
    private BrokerEndpoint endpoint(BrokerSettings settings) {
        String host = listener.advertisedHost();
        if (host == null || host.isBlank()) {
            host = bound.getAddress().isAnyLocalAddress() ? localHostName() : bound.getAddress().getHostAddress();
        }
        int port = listener.advertisedPort() > 0 ? listener.advertisedPort() : bound.getPort();
        return new BrokerEndpoint(settings.nodeId(), host, port);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            LOG.warn("Cannot resolve this host's name ({}); advertising localhost: set advertised.listeners", e.toString());
            return "localhost";
        }
    }

    private static int networkThreads(BrokerSettings settings) {
        String value = settings.all().get(NETWORK_THREADS_KEY);
        if (value == null || value.isBlank()) {
            return DEFAULT_NETWORK_THREADS;
        }
        int threads;
        try {
            threads = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(NETWORK_THREADS_KEY + " must be an integer, got " + value, e);
        }
        if (threads < 1) {
            throw new IllegalArgumentException(NETWORK_THREADS_KEY + " must be at least 1, got " + value);
        }
        return threads;
    }

    @Override
    public InetSocketAddress boundAddress() {
        if (bound == null) {
            throw new IllegalStateException("Listener " + listener.name() + " is not started");
        }
        return bound;
    }

    /** Parked fetches right now; for tests and metrics. */
    public int parkedFetches() {
        return purgatory.parkedCount();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (admin != null) {
            admin.shutdown();
            try {
                if (!admin.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("Kafka admin thread of listener {} did not stop within 5 s", listener.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
