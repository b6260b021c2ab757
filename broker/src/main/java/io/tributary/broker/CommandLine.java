package io.tributary.broker;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of {@code bin/tributary [CONFIG_FILE] [--override key=value ...]}, as Kafka's
 * {@code kafka-server-start.sh} takes them.
 *
 * @param configFile    the properties file, or {@code null} to use only defaults and overrides
 * @param overrides     {@code --override} pairs in order; a later pair for the same key wins
 * @param helpRequested {@code --help} or {@code -h} was given: print {@link #HELP} and start nothing
 */
record CommandLine(Path configFile, Map<String, String> overrides, boolean helpRequested) {
    static final String USAGE = "usage: tributary [CONFIG_FILE] [--override key=value ...]";
    static final String HELP = USAGE + """


            Starts a Tributary broker in the foreground; Ctrl-C or SIGTERM stops it cleanly.

              CONFIG_FILE            a Java properties file with Kafka's broker key names
                                     (config/tributary.properties lists every key with its default);
                                     without one, the built-in defaults: data in ./data,
                                     Kafka listener PLAINTEXT://127.0.0.1:9092
              --override key=value   sets one key, over the file; may be repeated
              -h, --help             prints this and exits

            Example: tributary config/tributary.properties --override log.dirs=/var/lib/tributary
            Reference: docs/configuration.md""";

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
            } else if (arg.equals("--help") || arg.equals("-h")) {
                return new CommandLine(null, Map.of(), true);
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else if (looksLikeASetting(arg)) {
                throw new IllegalArgumentException("'" + arg + "' is not a config file; to set a key, write --override "
                        + arg);
            } else if (configFile == null) {
                configFile = Path.of(arg);
            } else {
                throw new IllegalArgumentException("more than one config file: " + configFile + ", " + arg);
            }
        }
        return new CommandLine(configFile, Collections.unmodifiableMap(overrides), false);
    }

    /** {@code key=value} with no such file: a setting whose {@code --override} was forgotten. */
    private static boolean looksLikeASetting(String arg) {
        if (arg.indexOf('=') <= 0) {
            return false;
        }
        try {
            return !Files.exists(Path.of(arg));
        } catch (InvalidPathException e) {
            return true;
        }
    }
}
