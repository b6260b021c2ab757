package io.tributary.log.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class IndexFileTest {
    private static final int ENTRY_SIZE = 8;

    @TempDir
    Path dir;

    private final AtomicBoolean failWrites = new AtomicBoolean();
    private final AtomicReference<FailingChannel> channel = new AtomicReference<>();
    private final ChannelFactory countingFiles = path -> {
        FailingChannel opened = new FailingChannel(ChannelFactory.DEFAULT.open(path), failWrites);
        channel.set(opened);
        return opened;
    };

    @Test
    void entriesAreReadBackInOrderAfterReopen() throws IOException {
        // Given three entries written and the file closed
        Path path = dir.resolve("a.index");
        try (IndexFile file = IndexFile.open(path, ENTRY_SIZE, ChannelFactory.DEFAULT)) {
            for (long i = 1; i <= 3; i++) {
                file.append(entry(i * 11));
            }
        }

        // When
        try (IndexFile reopened = IndexFile.open(path, ENTRY_SIZE, ChannelFactory.DEFAULT)) {

            // Then
            assertThat(reopened.entries()).isEqualTo(3);
            assertThat(reopened.sizeProblem()).isNull();
            ByteBuffer all = reopened.readAll();
            assertThat(all.remaining()).isEqualTo(3 * ENTRY_SIZE);
            assertThat(new long[] {all.getLong(), all.getLong(), all.getLong()}).containsExactly(11, 22, 33);
            assertThat(reopened.read(1, ByteBuffer.allocate(ENTRY_SIZE)).getLong()).isEqualTo(22);
        }
    }

    @Test
    void truncateToFewerEntriesCutsTheCountAndTheFileAndTheNextAppendFollowsThem() throws IOException {
        // Given five entries
        Path path = dir.resolve("b.index");
        try (IndexFile file = IndexFile.open(path, ENTRY_SIZE, ChannelFactory.DEFAULT)) {
            for (long i = 1; i <= 5; i++) {
                file.append(entry(i));
            }

            // When
            file.truncateToEntries(2);

            // Then
            assertThat(file.entries()).isEqualTo(2);
            assertThat(Files.size(path)).isEqualTo(2L * ENTRY_SIZE);
            file.append(entry(99));
            assertThat(file.entries()).isEqualTo(3);
            assertThat(file.read(1, ByteBuffer.allocate(ENTRY_SIZE)).getLong()).isEqualTo(2);
            assertThat(file.read(2, ByteBuffer.allocate(ENTRY_SIZE)).getLong()).isEqualTo(99);
            assertThat(Files.size(path)).isEqualTo(3L * ENTRY_SIZE);
        }
    }

    @Test
    void truncateBeyondTheLastEntryKeepsEveryEntry() throws IOException {
        // Given two entries
        Path path = dir.resolve("c.index");
        try (IndexFile file = IndexFile.open(path, ENTRY_SIZE, ChannelFactory.DEFAULT)) {
            file.append(entry(1));
            file.append(entry(2));

            // When
            file.truncateToEntries(7);

            // Then
            assertThat(file.entries()).isEqualTo(2);
            assertThat(Files.size(path)).isEqualTo(2L * ENTRY_SIZE);
        }
    }

    @Test
    void fileWithAPartialEntryOpensEmptyAndSaysWhyUntilTruncated() throws IOException {
        // Given a file of two and a half entries
        Path path = dir.resolve("d.index");
        Files.write(path, new byte[2 * ENTRY_SIZE + ENTRY_SIZE / 2]);

        // When
        try (IndexFile file = IndexFile.open(path, ENTRY_SIZE, ChannelFactory.DEFAULT)) {

            // Then nothing is loaded, nothing is cut yet, and truncation clears the problem
            assertThat(file.entries()).isZero();
            assertThat(file.readAll().remaining()).isZero();
            assertThat(file.sizeProblem()).isEqualTo("file size 20 is not a multiple of 8");
            assertThat(Files.size(path)).isEqualTo(20);
            file.truncateToEntries(0);
            assertThat(file.sizeProblem()).isNull();
            assertThat(Files.size(path)).isZero();
            file.append(entry(5));
            assertThat(file.read(0, ByteBuffer.allocate(ENTRY_SIZE)).getLong()).isEqualTo(5);
        }
    }

    @Test
    void flushForcesOnlyWhenEntriesWereAddedOrRemoved() throws IOException {
        // Given a file flushed once with one entry
        try (IndexFile file = IndexFile.open(dir.resolve("e.index"), ENTRY_SIZE, countingFiles)) {
            file.append(entry(1));
            file.flush();
            int forced = channel.get().forces();

            // When flushed again without a change, then after an append, then after a truncation
            // that leaves the same count as an append restores it
            file.flush();
            int afterIdle = channel.get().forces();
            file.append(entry(2));
            file.flush();
            int afterAppend = channel.get().forces();
            file.truncateToEntries(1);
            file.append(entry(3));
            file.flush();
            int afterRewrite = channel.get().forces();

            // Then only the idle flush did not force
            assertThat(forced).isEqualTo(1);
            assertThat(afterIdle).isEqualTo(1);
            assertThat(afterAppend).isEqualTo(2);
            assertThat(afterRewrite).isEqualTo(3);
        }
    }

    @Test
    void failedAppendIsNotCountedAndTheNextAppendOverwritesItsTornBytes() throws IOException {
        // Given one entry and a disk that fails the next write half way
        try (IndexFile file = IndexFile.open(dir.resolve("f.index"), ENTRY_SIZE, countingFiles)) {
            file.append(entry(1));
            failWrites.set(true);

            // When
            assertThatThrownBy(() -> file.append(entry(2))).isInstanceOf(IOException.class);

            // Then
            assertThat(file.entries()).isEqualTo(1);
            failWrites.set(false);
            file.append(entry(3));
            assertThat(file.entries()).isEqualTo(2);
            assertThat(file.read(1, ByteBuffer.allocate(ENTRY_SIZE)).getLong()).isEqualTo(3);
        }
    }

    @Test
    void anEntryOfTheWrongSizeIsRefused() throws IOException {
        try (IndexFile file = IndexFile.open(dir.resolve("g.index"), ENTRY_SIZE, ChannelFactory.DEFAULT)) {
            assertThatThrownBy(() -> file.append(ByteBuffer.allocate(ENTRY_SIZE + 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(file.entries()).isZero();
        }
    }

    private static ByteBuffer entry(long value) {
        return ByteBuffer.allocate(ENTRY_SIZE).putLong(0, value);
    }
}
