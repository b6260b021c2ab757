package io.tributary.kafka.security;

import io.netty.channel.EventLoop;
import io.tributary.kafka.TestFrames;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.network.RequestDecoder;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.security.Principal;
import io.tributary.security.acl.AclBinding;
import io.tributary.security.acl.AclStore;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.PatternType;
import io.tributary.security.acl.Permission;
import io.tributary.security.acl.ResourceType;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link AuthorizationGate} in front of a stand-in handler, for alice from 127.0.0.1: a log with the topics
 * {@code allowed} and {@code denied} (one partition each), Kafka's StandardAuthorizer with no ACLs until a test
 * {@link #allow}s some, and a record of what reached the handler. The handler answers with {@link #handler}
 * (nothing at all when it returns {@code null}).
 *
 * <p>A JUnit extension: a test class registers one with {@code @RegisterExtension}, and each test gets a fresh log
 * and authorizer in a directory of its own, removed after the test.
 */
final class GateHarness implements BeforeEachCallback, AfterEachCallback {
    /** What a topic the principal may not use is answered. */
    static final short REFUSED_TOPIC = Errors.TOPIC_AUTHORIZATION_FAILED.code();

    private Path dir;
    private LogManager log;
    private Authorizer authorizer;
    /** The request bodies that reached the handler, in order. */
    final List<ApiMessage> handled = new ArrayList<>();
    /** The contexts the handler was given, beside {@link #handled}. */
    final List<RequestContext> contexts = new ArrayList<>();
    Function<ApiMessage, ApiMessage> handler;
    /** The broker settings the gate is given: auto-creation and topic deletion on, unless a test changes them. */
    BrokerSettings settings = new BrokerSettings(1, "cluster", 1, true, 1 << 20, 60_000L, Map.of());

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("gate-harness");
        log = LogManager.open(LogManagerConfig.builder(dir.resolve("log")).build());
        log.createTopic("allowed", 1, Map.of());
        log.createTopic("denied", 1, Map.of());
        authorizer = Authorizer.fromKafkaKeys(Map.of(Authorizer.CLASS_NAME,
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                AclStore.open(Files.createDirectories(dir.resolve("acls"))));
    }

    LogManager log() {
        return log;
    }

    void allow(ResourceType type, String name, Operation operation) {
        allow(type, name, operation, PatternType.LITERAL);
    }

    void allow(ResourceType type, String name, Operation operation, PatternType pattern) {
        authorizer.create(List.of(new AclBinding(type, name, pattern, "User:alice", "*", operation, Permission.ALLOW)));
    }

    /** Sends {@code body} as alice through a gate with {@link #settings} and answers what came back at once. */
    Outcome send(ApiKeys api, short version, ApiMessage body) throws Exception {
        KafkaRequest request = RequestDecoder.decode(TestFrames.payload(api, version, body, 1));
        Outcome outcome = new Outcome();
        AuthorizationGate gate = new AuthorizationGate(authorizer, log, settings, context -> {
            handled.add(context.request().body());
            contexts.add(context);
            ApiMessage response = handler.apply(context.request().body());
            if (response == null) {
                context.respondNothing();
            } else {
                context.respond(response);
            }
        });
        gate.dispatch(new AliceContext(request, outcome));
        assertThat(outcome.finished).as("answered at once").isTrue();
        return outcome;
    }

    /** The error code of each named entry, by name. */
    static Map<String, Short> errors(Stream<Map.Entry<String, ? extends Number>> entries) {
        Map<String, Short> errors = new TreeMap<>();
        entries.forEach(e -> errors.put(e.getKey(), e.getValue().shortValue()));
        return errors;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        log.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** How the gate finished a request: its response, or the reason it closed the connection. */
    static final class Outcome {
        ApiMessage response;
        String closeReason;
        boolean finished;
    }

    private record AliceContext(KafkaRequest request, Outcome outcome) implements RequestContext {
        @Override
        public EventLoop eventLoop() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public Principal principal() {
            return Principal.user("alice");
        }

        @Override
        public void respond(ApiMessage response) {
            finish(response, null);
        }

        @Override
        public void respondNothing() {
            finish(null, null);
        }

        @Override
        public void closeConnection(String reason) {
            finish(null, reason);
        }

        private void finish(ApiMessage response, String reason) {
            assertThat(outcome.finished).as("finished twice").isFalse();
            outcome.response = response;
            outcome.closeReason = reason;
            outcome.finished = true;
        }
    }
}
