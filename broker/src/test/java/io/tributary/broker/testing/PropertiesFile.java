package io.tributary.broker.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a broker's {@code key=value} configuration file, as {@code server.properties} holds it. */
public final class PropertiesFile {
    private PropertiesFile() {
    }

    /**
     * Writes {@code config} to {@code file}, one {@code key=value} line each in the map's order, backslashes in
     * values doubled (a Windows path stays a path after {@link java.util.Properties#load}), and returns the file.
     */
    public static Path write(Path file, Map<String, String> config) throws IOException {
        String text = config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Adds {@code key=value} pairs (split at the first {@code =}) to {@code into}, later pairs winning. */
    public static Map<String, String> putPairs(Map<String, String> into, String... pairs) {
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not key=value: " + pair);
            }
            into.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return into;
    }
}
