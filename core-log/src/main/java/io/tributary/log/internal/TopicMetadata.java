package io.tributary.log.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What is stored about a topic, in {@code topic.properties} inside its partition 0 directory. The
 * file is written at creation, after every partition directory exists (a topic exists exactly when
 * its file does), and replaced when partitions are added or the config overrides change; always
 * atomically (temporary file, fsync, rename, fsync of the directory).
 *
 * <pre>
 *  &lt;log.dirs&gt;/orders-0/topic.properties      (java.util.Properties syntax, ISO-8859-1 escaped)
 *  +-----------------------------------------------------------+
 *  | name=orders                                               |
 *  | id=6f1c0a0e-8c1f-4c57-9a62-0d9e1e2b7b11                   |  topic id (UUID)
 *  | partitions=3                                              |
 *  | config.retention.ms=86400000                              |  one line per override
 *  +-----------------------------------------------------------+
 * </pre>
 *
 * @param name      topic name
 * @param id        stable topic id
 * @param partitions partition count
 * @param overrides topic-level config keys set explicitly
 */
record TopicMetadata(String name, UUID id, int partitions, Map<String, String> overrides) {
    static final String FILE_NAME = "topic.properties";
    private static final String CONFIG_PREFIX = "config.";

    TopicMetadata withPartitions(int count) {
        return new TopicMetadata(name, id, count, overrides);
    }

    TopicMetadata withOverrides(Map<String, String> newOverrides) {
        return new TopicMetadata(name, id, partitions, Map.copyOf(new TreeMap<>(newOverrides)));
    }

    void store(Path file) throws IOException {
        Properties props = new Properties();
        props.setProperty("name", name);
        props.setProperty("id", id.toString());
        props.setProperty("partitions", Integer.toString(partitions));
        overrides.forEach((k, v) -> props.setProperty(CONFIG_PREFIX + k, v));
        StringWriter out = new StringWriter();
        props.store(out, "Tributary topic metadata");
        FileIo.writeAtomically(file, out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @throws IOException if the file is unreadable or lacks a field */
    static TopicMetadata load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            props.load(in);
        }
        Map<String, String> overrides = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(CONFIG_PREFIX)) {
                overrides.put(key.substring(CONFIG_PREFIX.length()), props.getProperty(key));
            }
        }
        try {
            return new TopicMetadata(required(props, "name", file), UUID.fromString(required(props, "id", file)),
                    Integer.parseInt(required(props, "partitions", file)), Map.copyOf(overrides));
        } catch (IllegalArgumentException e) {
            throw new IOException("Malformed topic metadata in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties props, String key, Path file) throws IOException {
        String value = props.getProperty(key);
        if (value == null) {
            throw new IOException("Topic metadata " + file + " has no '" + key + "'");
        }
        return value;
    }
}
