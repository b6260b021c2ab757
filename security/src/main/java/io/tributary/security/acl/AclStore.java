package io.tributary.security.acl;

import io.tributary.security.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Every ACL binding, in memory as one immutable list that readers (the event loops) take without a
 * lock, and durably in the data directory's {@value #FILE_NAME}, one binding per line:
 * <pre>
 *  resource type ␉ resource name ␉ pattern type ␉ principal ␉ host ␉ operation ␉ permission   (strings URL-encoded)
 * </pre>
 * A change rewrites the file through a temporary one (fsync, atomic rename) and only then becomes
 * visible. Changes come from one thread at a time.
 */
public final class AclStore {
    public static final String FILE_NAME = "acls";

    private final Path file;
    private volatile List<AclBinding> bindings;

    private AclStore(Path file, List<AclBinding> bindings) {
        this.file = file;
        this.bindings = bindings;
    }

    /** @throws IOException if the file exists but cannot be read or parsed */
    public static AclStore open(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        List<AclBinding> bindings = new ArrayList<>();
        if (Files.exists(file)) {
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                try {
                    bindings.add(new AclBinding(ResourceType.valueOf(f[0]), decode(f[1]), PatternType.valueOf(f[2]),
                            decode(f[3]), decode(f[4]), Operation.valueOf(f[5]), Permission.valueOf(f[6])));
                } catch (RuntimeException e) {
                    throw new IOException(file + " line " + lineNo + " is not an ACL binding", e);
                }
            }
        }
        return new AclStore(file, List.copyOf(bindings));
    }

    public List<AclBinding> bindings() {
        return bindings;
    }

    /**
     * Replaces the bindings with {@code change} applied to them (duplicates dropped), once written.
     *
     * @throws UncheckedIOException if the file cannot be written; nothing changes then
     */
    public synchronized void update(UnaryOperator<List<AclBinding>> change) {
        List<AclBinding> next = List.copyOf(new LinkedHashSet<>(change.apply(new ArrayList<>(bindings))));
        StringBuilder text = new StringBuilder();
        for (AclBinding b : next) {
            text.append(b.resourceType()).append('\t').append(encode(b.resourceName())).append('\t')
                    .append(b.patternType()).append('\t').append(encode(b.principal())).append('\t')
                    .append(encode(b.host())).append('\t').append(b.operation()).append('\t')
                    .append(b.permission()).append('\n');
        }
        DurableFiles.replace(file, text);
        bindings = next;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
