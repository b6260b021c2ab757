package io.tributary.security.quota;

import io.tributary.security.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client quotas set through AlterClientQuotas, in memory for the network threads and durably
 * in one file of the data directory, {@value #FILE_NAME}, one line per entity and quota:
 * <pre>
 *  user part ␉ client-id part ␉ key ␉ value
 *  part: "-" absent, "&lt;default&gt;" the default, "=" followed by the URL-encoded name
 * </pre>
 * Every change rewrites the file to a temporary one, fsyncs it and renames it over the old one, so a
 * crash leaves the old or the new set. Changes come from one thread at a time (the admin thread);
 * reads from any.
 */
public final class ClientQuotaStore {
    public static final String FILE_NAME = "client-quotas";

    private final Path file;
    private final Map<QuotaEntity, Map<QuotaType, Double>> quotas = new ConcurrentHashMap<>();

    private ClientQuotaStore(Path file) {
        this.file = file;
    }

    /**
     * One change: {@code value} set for {@code type} on {@code entity}, or removed when {@code null}.
     */
    public record Alteration(QuotaEntity entity, QuotaType type, Double value) {
    }

    /**
     * Opens the store in {@code directory}, reading the file if there is one.
     *
     * @throws IOException if the file exists but cannot be read or parsed
     */
    public static ClientQuotaStore open(Path directory) throws IOException {
        ClientQuotaStore store = new ClientQuotaStore(directory.resolve(FILE_NAME));
        if (Files.exists(store.file)) {
            int lineNo = 0;
            for (String line : Files.readAllLines(store.file, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                QuotaType type = f.length == 4 ? QuotaType.forKey(f[2]) : null;
                try {
                    if (type == null) {
                        throw new IllegalArgumentException("unknown quota");
                    }
                    QuotaEntity entity = new QuotaEntity(part(f[0]), part(f[1]));
                    store.quotas.merge(entity, Map.of(type, Double.parseDouble(f[3])), ClientQuotaStore::merged);
                } catch (IllegalArgumentException e) {
                    throw new IOException(store.file + " line " + lineNo + " is not a client quota: " + e.getMessage(), e);
                }
            }
        }
        return store;
    }

    /** The quotas set on exactly {@code entity}; empty if none. */
    public Map<QuotaType, Double> get(QuotaEntity entity) {
        return quotas.getOrDefault(entity, Map.of());
    }

    /** Every entity with at least one quota. */
    public Map<QuotaEntity, Map<QuotaType, Double>> all() {
        return Map.copyOf(quotas);
    }

    public boolean isEmpty() {
        return quotas.isEmpty();
    }

    /**
     * Applies the changes in order and writes the file; only once it is written do the quotas take
     * effect, so a failed write changes nothing.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public synchronized void apply(List<Alteration> alterations) {
        Map<QuotaEntity, Map<QuotaType, Double>> next = new HashMap<>();
        quotas.forEach((entity, values) -> next.put(entity, new EnumMap<>(values)));
        for (Alteration a : alterations) {
            Map<QuotaType, Double> values = next.computeIfAbsent(a.entity(), e -> new EnumMap<>(QuotaType.class));
            if (a.value() == null) {
                values.remove(a.type());
            } else {
                values.put(a.type(), a.value());
            }
            if (values.isEmpty()) {
                next.remove(a.entity());
            }
        }
        write(next);
        quotas.keySet().retainAll(next.keySet());
        next.forEach((entity, values) -> quotas.put(entity, Map.copyOf(values)));
    }

    private static Map<QuotaType, Double> merged(Map<QuotaType, Double> a, Map<QuotaType, Double> b) {
        Map<QuotaType, Double> both = new EnumMap<>(QuotaType.class);
        both.putAll(a);
        both.putAll(b);
        return Map.copyOf(both);
    }

    private static QuotaEntity.Name part(String text) {
        if (text.equals("-")) {
            return null;
        }
        if (text.equals("<default>")) {
            return QuotaEntity.Name.DEFAULT;
        }
        if (text.startsWith("=")) {
            return QuotaEntity.Name.of(URLDecoder.decode(text.substring(1), StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("bad entity part '" + text + "'");
    }

    private static String text(QuotaEntity.Name part) {
        if (part == null) {
            return "-";
        }
        return part.isDefault() ? "<default>" : "=" + URLEncoder.encode(part.name(), StandardCharsets.UTF_8);
    }

    private void write(Map<QuotaEntity, Map<QuotaType, Double>> content) {
        StringBuilder text = new StringBuilder();
        content.forEach((entity, values) -> values.forEach((type, value) -> text.append(text(entity.user()))
                .append('\t').append(text(entity.clientId())).append('\t').append(type.key()).append('\t')
                .append(value).append('\n')));
        DurableFiles.replace(file, text);
    }
}
