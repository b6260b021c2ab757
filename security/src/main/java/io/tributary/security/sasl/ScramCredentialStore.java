package io.tributary.security.sasl;

import io.tributary.security.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SCRAM credentials of every user, kept in memory for the authenticating event loops and
 * durably in one file of the data directory, {@value #FILE_NAME}, one line per user and mechanism:
 * <pre>
 *  user (URL-encoded) ␉ mechanism ␉ iterations ␉ salt ␉ stored key ␉ server key   (binary fields in base64)
 * </pre>
 * Every change rewrites the file to a temporary one, fsyncs it and renames it over the old one, so
 * a crash leaves either the old or the new set, never a mix. Changes come from one thread at a time
 * (the admin thread); reads from any.
 */
public final class ScramCredentialStore {
    public static final String FILE_NAME = "scram-credentials";

    private final Path file;
    private final Map<String, Map<ScramMechanism, ScramCredential>> users = new ConcurrentHashMap<>();

    private ScramCredentialStore(Path file) {
        this.file = file;
    }

    /**
     * Opens the store in {@code directory}, reading the file if there is one.
     *
     * @throws IOException if the file exists but cannot be read or parsed
     */
    public static ScramCredentialStore open(Path directory) throws IOException {
        ScramCredentialStore store = new ScramCredentialStore(directory.resolve(FILE_NAME));
        if (Files.exists(store.file)) {
            int lineNo = 0;
            for (String line : Files.readAllLines(store.file, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                ScramMechanism mechanism = f.length == 6 ? ScramMechanism.forName(f[1]) : null;
                if (mechanism == null) {
                    throw new IOException(store.file + " line " + lineNo + " is not a SCRAM credential");
                }
                Base64.Decoder b64 = Base64.getDecoder();
                store.put(URLDecoder.decode(f[0], StandardCharsets.UTF_8), new ScramCredential(mechanism,
                        b64.decode(f[3]), b64.decode(f[4]), b64.decode(f[5]), Integer.parseInt(f[2])));
            }
        }
        return store;
    }

    /** The credential of {@code user} for {@code mechanism}, or {@code null}. */
    public ScramCredential get(String user, ScramMechanism mechanism) {
        Map<ScramMechanism, ScramCredential> byMechanism = users.get(user);
        return byMechanism == null ? null : byMechanism.get(mechanism);
    }

    /** Every user's mechanisms and iteration counts, by user name in order. */
    public Map<String, List<ScramCredential>> all() {
        Map<String, List<ScramCredential>> result = new TreeMap<>();
        users.forEach((user, byMechanism) -> result.put(user, List.copyOf(new EnumMap<>(byMechanism).values())));
        return result;
    }

    /**
     * Applies deletions then upserts and writes the file; only once the file is written do
     * authentications see the change, so a failed write changes nothing.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public synchronized void apply(List<Map.Entry<String, ScramMechanism>> deletions,
                                   List<Map.Entry<String, ScramCredential>> upserts) {
        Map<String, Map<ScramMechanism, ScramCredential>> next = new TreeMap<>();
        users.forEach((user, byMechanism) -> next.put(user, new EnumMap<>(byMechanism)));
        for (Map.Entry<String, ScramMechanism> d : deletions) {
            Map<ScramMechanism, ScramCredential> byMechanism = next.get(d.getKey());
            if (byMechanism != null) {
                byMechanism.remove(d.getValue());
                if (byMechanism.isEmpty()) {
                    next.remove(d.getKey());
                }
            }
        }
        for (Map.Entry<String, ScramCredential> u : upserts) {
            next.computeIfAbsent(u.getKey(), k -> new EnumMap<>(ScramMechanism.class))
                    .put(u.getValue().mechanism(), u.getValue());
        }
        write(next);
        users.keySet().retainAll(next.keySet());
        next.forEach((user, byMechanism) -> users.put(user, Map.copyOf(byMechanism)));
    }

    private void put(String user, ScramCredential credential) {
        Map<ScramMechanism, ScramCredential> byMechanism = new EnumMap<>(ScramMechanism.class);
        byMechanism.putAll(users.getOrDefault(user, Map.of()));
        byMechanism.put(credential.mechanism(), credential);
        users.put(user, Map.copyOf(byMechanism));
    }

    private void write(Map<String, Map<ScramMechanism, ScramCredential>> content) {
        StringBuilder text = new StringBuilder();
        Base64.Encoder b64 = Base64.getEncoder();
        content.forEach((user, credentials) -> {
            for (ScramCredential c : credentials.values()) {
                text.append(URLEncoder.encode(user, StandardCharsets.UTF_8)).append('\t')
                        .append(c.mechanism().mechanismName()).append('\t').append(c.iterations()).append('\t')
                        .append(b64.encodeToString(c.salt())).append('\t').append(b64.encodeToString(c.storedKey()))
                        .append('\t').append(b64.encodeToString(c.serverKey())).append('\n');
            }
        });
        DurableFiles.replace(file, text);
    }
}
