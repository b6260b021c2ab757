package io.tributary.broker;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

/**
 * The identity of a data directory, in {@code <log.dirs>/meta.properties} (the same keys Kafka writes):
 *
 * <pre>
 * version=1
 * cluster.id=&lt;22 characters: 16 random bytes, URL-safe base64 without padding&gt;
 * node.id=&lt;node.id&gt;
 * </pre>
 *
 * Written once, at the first start, atomically (temporary file, fsync, rename); read at every later
 * start, which is refused if {@code node.id} differs, so two brokers cannot share one directory by
 * mistake and a directory cannot silently change identity.
 *
 * @param clusterId the cluster id clients see in Metadata and DescribeCluster
 * @param nodeId    the broker id this directory belongs to
 */
record MetaProperties(String clusterId, int nodeId) {
    static final String FILE_NAME = "meta.properties";

    /**
     * Reads the directory's identity, or creates it with a new random cluster id if the file is absent.
     *
     * @throws IllegalStateException if the stored node id is not {@code nodeId}, or the file is malformed
     * @throws UncheckedIOException  if the file cannot be read or written
     */
    static MetaProperties loadOrCreate(Path dir, int nodeId) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                MetaProperties stored = read(file);
                if (stored.nodeId != nodeId) {
                    throw new IllegalStateException("node.id " + nodeId + " does not match node.id " + stored.nodeId
                            + " stored in " + file + "; this data directory belongs to another broker");
                }
                return stored;
            }
            MetaProperties created = new MetaProperties(randomClusterId(), nodeId);
            created.write(file);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** 16 random bytes in URL-safe base64 without padding, the form of Kafka's cluster ids. */
    static String randomClusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static MetaProperties read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        String clusterId = p.getProperty("cluster.id");
        String nodeId = p.getProperty("node.id");
        if (clusterId == null || clusterId.isBlank() || nodeId == null) {
            throw new IllegalStateException(file + " is malformed: it needs cluster.id and node.id");
        }
        try {
            return new MetaProperties(clusterId.trim(), Integer.parseInt(nodeId.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " is malformed: node.id '" + nodeId + "' is not an integer", e);
        }
    }

    private void write(Path file) throws IOException {
        String text = "#Written by Tributary at first start. Do not edit.\n"
                + "version=1\ncluster.id=" + clusterId + "\nnode.id=" + nodeId + "\n";
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
