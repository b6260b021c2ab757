package io.tributary.log.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class OffsetIndexTest {
    @TempDir
    Path dir;

    @Test
    void lookupReturnsThePositionOfTheLargestEntryAtOrBelowTheOffset() throws IOException {
        try (OffsetIndex index = OffsetIndex.open(dir.resolve("a.index"), 100, ChannelFactory.DEFAULT)) {
            index.append(110, 1000);
            index.append(120, 2000);

            assertThat(index.lookup(100)).isZero();
            assertThat(index.lookup(109)).isZero();
            assertThat(index.lookup(110)).isEqualTo(1000);
            assertThat(index.lookup(119)).isEqualTo(1000);
            assertThat(index.lookup(5000)).isEqualTo(2000);
        }
    }

    @Test
    void entriesAreBigEndianRelativeOffsetThenPosition() throws IOException {
        Path file = dir.resolve("b.index");
        try (OffsetIndex index = OffsetIndex.open(file, 100, ChannelFactory.DEFAULT)) {
            index.append(107, 4242);
        }

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));

        assertThat(bytes.remaining()).isEqualTo(OffsetIndex.ENTRY_SIZE);
        assertThat(bytes.getInt()).isEqualTo(7);
        assertThat(bytes.getInt()).isEqualTo(4242);
    }

    @Test
    void reopenedEntriesAreCheckedAgainstTheLog() throws IOException {
        Path file = dir.resolve("c.index");
        try (OffsetIndex index = OffsetIndex.open(file, 0, ChannelFactory.DEFAULT)) {
            index.append(5, 500);
            index.append(9, 900);
        }

        try (OffsetIndex index = OffsetIndex.open(file, 0, ChannelFactory.DEFAULT)) {
            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.lastOffset()).isEqualTo(9);
            assertThat(index.loadProblem(1000)).isNull();
            assertThat(index.loadProblem(900)).contains("outside");
        }
        Files.write(file, ByteBuffer.allocate(8).putInt(3).putInt(100).array(),
                java.nio.file.StandardOpenOption.APPEND);
        try (OffsetIndex index = OffsetIndex.open(file, 0, ChannelFactory.DEFAULT)) {
            assertThat(index.loadProblem(1000)).contains("not after the previous");
        }
    }

    @Test
    void releasedIndexAnswersFromTheFile() throws IOException {
        try (OffsetIndex index = OffsetIndex.open(dir.resolve("d.index"), 100, ChannelFactory.DEFAULT)) {
            for (int i = 1; i <= 50; i++) {
                index.append(100 + 10L * i, 1000 * i);
            }

            index.releaseMemory();
            index.append(1000, 60_000);

            assertThat(index.lookup(99 + 10 * 7)).isEqualTo(6000);
            assertThat(index.lookup(170)).isEqualTo(7000);
            assertThat(index.lookup(5000)).isEqualTo(60_000);
            assertThat(index.floorByPosition(25_500, Long.MAX_VALUE) >>> 32).isEqualTo(250);
            assertThat(index.lastOffset()).isEqualTo(1000);
            assertThat(index.entries()).isEqualTo(51);
        }
    }
}
