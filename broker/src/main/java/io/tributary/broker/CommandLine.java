package io.tributary.broker;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of {@code bin/tributary [CONFIG_FILE] [--override key=value ...]}, as Kafka's
 * {@code kafka-server-start.sh} takes them.
 *
 * @param configFile the properties file, or {@code null} to use only defaults and overrides
 * @param overrides  {@code --override} pairs in order; a later pair for the same key wins
 */
record CommandLine(Path configFile, Map<String, String> overrides) {
    static final String USAGE = "usage: tributary [CONFIG_FILE] [--override key=value ...]";

    /** @throws IllegalArgumentException with a message saying what is wrong */
    static CommandLine parse(String... args) {
        Path configFile = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--override")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--override needs a key=value argument");
                }
                String pair = args[++i];
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--override argument '" + pair + "' is not key=value");
                }
                overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else if (configFile == null) {
                configFile = Path.of(arg);
            } else {
                throw new IllegalArgumentException("more than one config file: " + configFile + ", " + arg);
            }
        }
        return new CommandLine(configFile, Collections.unmodifiableMap(overrides));
    }
}
