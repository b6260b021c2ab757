package io.tributary.log.internal;

import io.tributary.log.LogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The topic layout of a data directory: which partition directories exist and which topic owns
 * them. A directory {@code <topic>-<n>} belongs to a topic when {@code <topic>-0/topic.properties}
 * exists and names a topic with more than {@code n} partitions (the last '-' separates the
 * partition number, so topic names may contain '-').
 */
final class TopicDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(TopicDirectory.class);

    /** Ends the name of a partition directory of a deleted topic; never the end of a live one. */
    static final String DELETE_SUFFIX = "-delete";

    private final Path root;

    TopicDirectory(Path root) {
        this.root = root;
    }

    /** Loads one topic found on disk. */
    @FunctionalInterface
    interface TopicLoader {
        void load(TopicMetadata metadata, boolean recover) throws IOException;
    }

    /** Opens one partition of a topic being created. */
    @FunctionalInterface
    interface PartitionOpener {
        DefaultPartitionLog open(int partition, Path dir) throws IOException;
    }

    /**
     * Finds every topic's metadata and hands it to {@code loader}; finishes deletions of topics
     * deleted before the last stop; warns about directories no topic owns.
     */
    void loadAll(TopicLoader loader, boolean recover) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : entries) {
                if (dir.getFileName().toString().endsWith(DELETE_SUFFIX)) {
                    LOG.info("Deleting {}, a partition of a deleted topic", dir);
                    deleteRecursively(dir);
                } else {
                    dirs.add(dir);
                }
            }
        }
        Set<String> owned = new HashSet<>();
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            Path metadataFile = dir.resolve(TopicMetadata.FILE_NAME);
            if (!name.endsWith("-0") || !Files.exists(metadataFile)) {
                continue;
            }
            TopicMetadata metadata = TopicMetadata.load(metadataFile);
            if (!name.equals(TopicNames.partitionDir(metadata.name(), 0))) {
                throw new IOException("Topic metadata " + metadataFile + " names topic '" + metadata.name() + "'");
            }
            for (int p = 0; p < metadata.partitions(); p++) {
                owned.add(TopicNames.partitionDir(metadata.name(), p));
            }
            loader.load(metadata, recover);
        }
        for (Path dir : dirs) {
            if (!owned.contains(dir.getFileName().toString())) {
                LOG.warn("Ignoring directory {}: no topic metadata claims it", dir);
            }
        }
    }

    /**
     * Creates the partition directories of a new topic, opens them, then persists the metadata
     * (the commit point). Files left in those directories by an interrupted creation are removed.
     */
    DefaultTopic create(TopicMetadata metadata, PartitionOpener opener, LogConfig config) throws IOException {
        return new DefaultTopic(metadata, config, openNewPartitions(metadata, 0, opener));
    }

    /**
     * Creates and opens partitions {@code [current.partitions(), grown.partitions())} of a topic,
     * then replaces its metadata with {@code grown} (the commit point: until then the new
     * directories belong to no topic, and a later attempt clears them). Returns the new partitions.
     */
    List<DefaultPartitionLog> addPartitions(TopicMetadata current, TopicMetadata grown, PartitionOpener opener)
            throws IOException {
        return openNewPartitions(grown, current.partitions(), opener);
    }

    /**
     * Clears, creates and opens the directories of partitions {@code [from, metadata.partitions())},
     * then stores {@code metadata}. On failure (typically the process running out of file
     * descriptors part-way through a large request) closes the partitions it opened, first, so
     * their descriptors are free for the cleanup, then deletes the directories it created, and
     * rethrows: the topic is left as it was, with nothing on disk that a restart would warn about.
     */
    private List<DefaultPartitionLog> openNewPartitions(TopicMetadata metadata, int from, PartitionOpener opener)
            throws IOException {
        List<DefaultPartitionLog> opened = new ArrayList<>();
        List<Path> created = new ArrayList<>();
        try {
            for (int p = from; p < metadata.partitions(); p++) {
                Path dir = root.resolve(TopicNames.partitionDir(metadata.name(), p));
                removeLeftovers(dir);
                created.add(dir);
                Files.createDirectories(dir);
                opened.add(opener.open(p, dir));
                FileIo.fsyncDirectory(dir);
            }
            FileIo.fsyncDirectory(root);
            storeMetadata(metadata);
        } catch (IOException | RuntimeException e) {
            undo(opened, created, e);
            throw e;
        }
        return opened;
    }

    /** Closes {@code opened}, then deletes {@code created}; failures are added to {@code cause}. */
    private void undo(List<DefaultPartitionLog> opened, List<Path> created, Exception cause) {
        for (DefaultPartitionLog partition : opened) {
            try {
                partition.close();
            } catch (IOException | RuntimeException closeFailure) {
                cause.addSuppressed(closeFailure);
            }
        }
        for (Path dir : created) {
            try {
                deleteRecursively(dir);
            } catch (IOException | RuntimeException deleteFailure) {
                cause.addSuppressed(deleteFailure);
            }
        }
        try {
            FileIo.fsyncDirectory(root);
        } catch (IOException | RuntimeException syncFailure) {
            cause.addSuppressed(syncFailure);
        }
    }

    /** Replaces a topic's metadata file atomically. */
    void storeMetadata(TopicMetadata metadata) throws IOException {
        metadata.store(root.resolve(TopicNames.partitionDir(metadata.name(), 0)).resolve(TopicMetadata.FILE_NAME));
    }

    /**
     * Deletes a topic's metadata file (the commit point), then renames its partition directories
     * to {@code <dir>.<id>-delete}; returns the new names, for {@link #deleteRecursively} later.
     */
    List<Path> retire(TopicMetadata metadata) throws IOException {
        Path first = root.resolve(TopicNames.partitionDir(metadata.name(), 0));
        Files.delete(first.resolve(TopicMetadata.FILE_NAME));
        FileIo.fsyncDirectory(first);
        String tag = "." + metadata.id().toString().replace("-", "") + DELETE_SUFFIX;
        List<Path> retired = new ArrayList<>();
        for (int p = 0; p < metadata.partitions(); p++) {
            Path dir = root.resolve(TopicNames.partitionDir(metadata.name(), p));
            Path target = dir.resolveSibling(dir.getFileName() + tag);
            Files.move(dir, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            retired.add(target);
        }
        FileIo.fsyncDirectory(root);
        return retired;
    }

    /** Deletes {@code dir} and everything in it (partition directories hold no subdirectories). */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    deleteRecursively(entry);
                } else {
                    Files.delete(entry);
                }
            }
        }
        Files.delete(dir);
    }

    private static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                LOG.warn("Deleting {}, left by an interrupted creation of this topic", entry);
                Files.delete(entry);
            }
        }
    }
}
