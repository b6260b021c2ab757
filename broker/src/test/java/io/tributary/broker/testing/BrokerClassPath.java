package io.tributary.broker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where a child Tributary finds its classes when the test's own class path cannot hold it (another
 * kafka-clients, another logging backend): {@code <broker target>/lib/*} and the broker jar, both written by
 * the broker module's {@code package} phase.
 */
public final class BrokerClassPath {
    private BrokerClassPath() {
    }

    /**
     * The class path from the broker target directory named by the system property {@code property} (set by
     * the calling module's pom).
     *
     * @throws IllegalStateException if the property is not set, or the directory holds no broker jar and lib/
     */
    public static String fromTargetProperty(String property) throws IOException {
        return fromTarget(pathProperty(property));
    }

    /**
     * {@code <target>/lib/*} and {@code <target>/broker-<version>.jar} (not the tests or sources jar).
     *
     * @throws IllegalStateException if {@code target} holds no broker jar and lib/
     */
    public static String fromTarget(Path target) throws IOException {
        Path lib = target.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("broker-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst().orElse(null);
        }
        if (jar == null || !Files.isDirectory(lib)) {
            throw new IllegalStateException("no broker jar and lib/ in " + target
                    + "; build it first: mvn -pl broker -am package -DskipTests");
        }
        return lib.resolve("*") + System.getProperty("path.separator") + jar;
    }

    /**
     * The required system property {@code name} as an absolute, normalized path.
     *
     * @throws IllegalStateException if it is not set
     */
    public static Path pathProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
