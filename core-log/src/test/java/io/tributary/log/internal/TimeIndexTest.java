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
class TimeIndexTest {
    @TempDir
    Path dir;

    @Test
    void onlyGrowingTimestampsAreAppended() throws IOException {
        try (TimeIndex index = TimeIndex.open(dir.resolve("a.timeindex"), 100, ChannelFactory.DEFAULT)) {
            index.maybeAppend(1000, 101);
            index.maybeAppend(1000, 102);
            index.maybeAppend(900, 103);
            index.maybeAppend(-1, 104);
            index.maybeAppend(2000, 105);

            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.lastTimestamp()).isEqualTo(2000);
            assertThat(index.lastOffset()).isEqualTo(105);
        }
    }

    @Test
    void lookupStartsAfterEveryBatchKnownToBeOlder() throws IOException {
        try (TimeIndex index = TimeIndex.open(dir.resolve("b.timeindex"), 100, ChannelFactory.DEFAULT)) {
            index.maybeAppend(1000, 110);
            index.maybeAppend(2000, 120);

            assertThat(index.lookup(500)).isEqualTo(100);
            assertThat(index.lookup(1000)).isEqualTo(100);
            assertThat(index.lookup(1001)).isEqualTo(110);
            assertThat(index.lookup(9999)).isEqualTo(120);
        }
    }

    @Test
    void entriesAreTimestampThenRelativeOffsetAndReloadChecked() throws IOException {
        Path file = dir.resolve("c.timeindex");
        try (TimeIndex index = TimeIndex.open(file, 100, ChannelFactory.DEFAULT)) {
            index.maybeAppend(1234, 103);
        }

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        assertThat(bytes.getLong()).isEqualTo(1234);
        assertThat(bytes.getInt()).isEqualTo(3);
        try (TimeIndex index = TimeIndex.open(file, 100, ChannelFactory.DEFAULT)) {
            assertThat(index.loadProblem(104)).isNull();
            assertThat(index.loadProblem(103)).contains("outside");
        }
    }

    @Test
    void releasedIndexAnswersFromTheFileAndStillTakesTheFinalEntry() throws IOException {
        try (TimeIndex index = TimeIndex.open(dir.resolve("d.timeindex"), 100, ChannelFactory.DEFAULT)) {
            for (int i = 1; i <= 40; i++) {
                index.maybeAppend(1000L * i, 100 + i);
            }

            index.releaseMemory();
            index.maybeAppend(99_000, 200);

            assertThat(index.lookup(5500)).isEqualTo(105);
            assertThat(index.lookup(5000)).isEqualTo(104);
            assertThat(index.lookup(100_000)).isEqualTo(200);
            assertThat(index.lastTimestamp()).isEqualTo(99_000);
        }
        try (TimeIndex reopened = TimeIndex.open(dir.resolve("d.timeindex"), 100, ChannelFactory.DEFAULT)) {
            assertThat(reopened.entries()).isEqualTo(41);
            assertThat(reopened.lastOffset()).isEqualTo(200);
            assertThat(reopened.loadProblem(201)).isNull();
        }
    }
}
