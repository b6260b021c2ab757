package io.tributary.compat.clients;

import io.tributary.compat.ExternalCommand;
import io.tributary.compat.RequiredTool;

import java.nio.file.Path;
import java.util.List;

/**
 * The Python interpreter that sees Debian's client packages. {@code /usr/bin/python3} comes first: Debian
 * installs {@code python3-*} packages into its {@code dist-packages}, which a pyenv or venv {@code python3}
 * earlier on the {@code PATH} does not see.
 */
final class SystemPython {
    private SystemPython() {
    }

    /**
     * The first of {@code /usr/bin/python3} and {@code python3} on the {@code PATH} that can import every one
     * of {@code modules}; skips or fails the test (see {@link RequiredTool}) when none can.
     *
     * @param debianPackages the packages that provide the modules, named in the skip or failure message
     */
    static Path withModules(List<String> modules, String debianPackages) throws Exception {
        String imports = "import " + String.join(", ", modules);
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            Path python = Path.of(candidate);
            if (!python.isAbsolute()) {
                python = RequiredTool.onPath(candidate);
            } else if (!python.toFile().canExecute()) {
                continue;
            }
            if (ExternalCommand.of(List.of(python.toString(), "-c", imports)).run().exitCode() == 0) {
                return python;
            }
        }
        RequiredTool.missing("no python3 that can '" + imports + "' (Debian: " + debianPackages + ")");
        throw new IllegalStateException("unreachable");
    }
}
