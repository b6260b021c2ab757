package io.tributary.broker.it;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.testing.PropertiesFile;
import io.tributary.broker.testing.TributaryProcess;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Gives a test a running broker and cleans up after it.
 *
 * <p>Parameters it resolves:
 * <ul>
 *   <li>{@link Broker}: started in this JVM on {@code 127.0.0.1:0} over a fresh data directory, with the
 *       test's {@link BrokerProperties}; closed after the test.</li>
 *   <li>{@link BrokerProcesses}: starts brokers as child JVMs over one fresh data directory; every child
 *       still alive after the test is killed.</li>
 * </ul>
 * When a test fails its data directory is kept and its path printed; otherwise it is deleted.
 */
public final class TributaryExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TributaryExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Broker.class || type == BrokerProcesses.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Path dataDir = dataDir(context);
        Map<String, String> properties = properties(context);
        if (type == BrokerProcesses.class) {
            return store(context).getOrComputeIfAbsent(BrokerProcesses.class,
                    k -> new BrokerProcesses(dataDir, properties), BrokerProcesses.class);
        }
        return store(context).getOrComputeIfAbsent(Broker.class, k -> startBroker(dataDir, properties), Broker.class);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = store(context);
        Broker broker = store.remove(Broker.class, Broker.class);
        BrokerProcesses processes = store.remove(BrokerProcesses.class, BrokerProcesses.class);
        Path dataDir = store.remove(Path.class, Path.class);
        List<Path> kept = new ArrayList<>();
        try {
            if (processes != null) {
                processes.killAll();
                kept.addAll(processes.files());
            }
            if (broker != null) {
                broker.close();
            }
        } finally {
            if (dataDir != null) {
                kept.add(0, dataDir);
                if (context.getExecutionException().isPresent()) {
                    System.out.println("[" + context.getDisplayName() + "] failed; kept " + kept);
                } else {
                    for (Path path : kept) {
                        deleteRecursively(path);
                    }
                }
            }
        }
    }

    private static Broker startBroker(Path dataDir, Map<String, String> properties) {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.putAll(properties);
        try {
            return Broker.start(BrokerConfig.of(config));
        } catch (Exception e) {
            throw new ParameterResolutionException("broker did not start over " + dataDir, e);
        }
    }

    private static Path dataDir(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(Path.class, k -> {
            try {
                return Files.createTempDirectory("tributary-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Path.class);
    }

    private static Map<String, String> properties(ExtensionContext context) {
        Map<String, String> map = new LinkedHashMap<>();
        context.getTestClass().ifPresent(c -> addProperties(c, map));
        context.getTestMethod().ifPresent(m -> addProperties(m, map));
        return map;
    }

    private static void addProperties(AnnotatedElement element, Map<String, String> into) {
        Optional.ofNullable(element.getAnnotation(BrokerProperties.class))
                .ifPresent(a -> PropertiesFile.putPairs(into, a.value()));
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
