package io.tributary.log.internal;

import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class AppendFailureTest {
    @TempDir
    Path dir;

    private final AtomicBoolean failLogWrites = new AtomicBoolean();
    private final AtomicBoolean failIndexWrites = new AtomicBoolean();

    private DefaultLogManager open() {
        ChannelFactory files = path -> {
            String name = path.getFileName().toString();
            AtomicBoolean flag = name.endsWith(LogSegment.LOG_SUFFIX) ? failLogWrites
                    : name.endsWith(OffsetIndex.SUFFIX) ? failIndexWrites : new AtomicBoolean();
            return new FailingChannel(ChannelFactory.DEFAULT.open(path), flag);
        };
        return DefaultLogManager.open(LogManagerConfig.builder(dir).retentionCheckIntervalMs(3_600_000).build(), files);
    }

    @Test
    void failedDataWriteLeavesNothingAndTheLogKeepsWorking() throws IOException {
        ByteBuffer first;
        ByteBuffer third;
        try (DefaultLogManager log = open()) {
            PartitionLog p = log.createTopic("t", 1, Map.of()).partition(0);
            first = appendCommitted(p, 2, 100);
            long sizeBefore = p.sizeInBytes();
            failLogWrites.set(true);

            assertThatThrownBy(() -> p.append(TestBatches.concat(TestBatches.batch(2, 3, 100),
                    TestBatches.batch(5, 1, 100)))).isInstanceOf(IOException.class).hasMessageContaining("No space");

            assertThat(p.logEndOffset()).isEqualTo(2);
            assertThat(p.offlineReason()).as("a write cut back cleanly leaves the partition online").isEmpty();
            assertThat(p.sizeInBytes()).isEqualTo(sizeBefore);
            assertThat(Files.size(dir.resolve("t-0").resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX))))
                    .isEqualTo(sizeBefore);
            failLogWrites.set(false);
            third = appendCommitted(p, 4, 100);
            assertThat(Slices.readAll(p, 0)).isEqualTo(Slices.bytes(TestBatches.concat(first, third)));
        }
        try (DefaultLogManager log = open()) {
            assertThat(Slices.readAll(log.topic("t").orElseThrow().partition(0), 0))
                    .isEqualTo(Slices.bytes(TestBatches.concat(first, third)));
        }
    }

    @Test
    void failedIndexWriteUndoesTheDataWrite() throws IOException {
        try (DefaultLogManager log = open()) {
            PartitionLog p = log.createTopic("t", 1, Map.of("index.interval.bytes", "0")).partition(0);
            ByteBuffer first = appendCommitted(p, 1, 100);
            failIndexWrites.set(true);

            assertThatThrownBy(() -> p.append(TestBatches.batch(1, 1, 100))).isInstanceOf(IOException.class);

            assertThat(p.logEndOffset()).isEqualTo(1);
            assertThat(p.sizeInBytes()).isEqualTo(first.remaining());
            failIndexWrites.set(false);
            ByteBuffer second = appendCommitted(p, 1, 100);
            assertThat(Slices.readAll(p, 0)).isEqualTo(Slices.bytes(TestBatches.concat(first, second)));
            assertThat(p.read(1, 1, Long.MAX_VALUE, true).firstOffset()).isEqualTo(1);
        }
    }
}
