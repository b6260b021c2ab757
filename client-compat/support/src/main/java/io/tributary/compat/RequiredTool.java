package io.tributary.compat;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A program a test needs from the machine. Missing on a developer machine, the test is skipped with a
 * message naming the install script; missing when {@code CI=true}, the test fails, because CI installs
 * every client with {@code .ci/install-clients.sh}.
 */
public final class RequiredTool {
    private static final String INSTALL_HINT = "install it with .ci/install-clients.sh (as root)";

    private RequiredTool() {
    }

    /** The absolute path of {@code name} on the {@code PATH}; skips or fails the test when it is absent. */
    public static Path onPath(String name) {
        Optional<Path> found = findOnPath(name);
        if (found.isEmpty()) {
            missing(name + " is not on the PATH");
        }
        return found.orElseThrow();
    }

    /**
     * The first of {@code candidates} (absolute paths or names on the {@code PATH}) that exists; skips or
     * fails the test when none does.
     */
    public static Path firstOf(String what, String... candidates) {
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            Optional<Path> found = path.isAbsolute()
                    ? Optional.of(path).filter(Files::isExecutable)
                    : findOnPath(candidate);
            if (found.isPresent()) {
                return found.get();
            }
        }
        missing(what + " not found (looked for " + String.join(", ", candidates) + ")");
        throw new IllegalStateException("unreachable");
    }

    /** Skips or fails the test because {@code what} is not available. */
    public static void missing(String what) {
        String message = what + "; " + INSTALL_HINT;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and " + message);
        }
        Assumptions.abort("skipped: " + message);
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
