package io.tributary.log.internal;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;

/** Compares read slices with a simple model of the log for many offsets and limits. */
@Timeout(20)
class SliceBoundsTest {
    @TempDir
    Path dir;

    private DefaultLogManager manager;

    /** One stored batch in the model. */
    private record Batch(long segment, long base, long last, int size) {
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void slicesMatchAModelOfWholeBatchesWithinLimits() throws Exception {
        manager = LogTestSupport.open(dir);
        PartitionLog log = manager.createTopic("t", 1, Map.of("segment.bytes", "3000", "index.interval.bytes", "120"))
                .partition(0);
        Random random = new Random(7);
        List<Batch> model = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ByteBuffer batch = appendCommitted(log, 1 + random.nextInt(4), 100, 5 + random.nextInt(60));
            List<LogSegment> segments = DefaultPartitionLogTest.segments(log);
            long base = batch.getLong(0);
            model.add(new Batch(segments.get(segments.size() - 1).baseOffset(), base,
                    base + batch.getInt(23), batch.remaining()));
        }
        long end = log.logEndOffset();

        for (int trial = 0; trial < 3000; trial++) {
            long offset = random.nextLong(end);
            int maxBytes = random.nextInt(1200);
            long maxOffset = offset + 1 + random.nextLong(end - offset + 2);
            boolean minOneBatch = random.nextBoolean();

            LogSlice slice = log.read(offset, maxBytes, maxOffset, minOneBatch);

            String context = "read(" + offset + ", " + maxBytes + ", " + maxOffset + ", " + minOneBatch + ")";
            LogSlice expected = expected(model, offset, maxBytes, maxOffset, minOneBatch);
            assertThat(slice.size()).as(context).isEqualTo(expected.size());
            if (!expected.isEmpty()) {
                assertThat(slice.firstOffset()).as(context).isEqualTo(expected.firstOffset());
                assertThat(slice.lastOffset()).as(context).isEqualTo(expected.lastOffset());
            }
        }
    }

    private static LogSlice expected(List<Batch> model, long offset, int maxBytes, long maxOffset, boolean minOne) {
        int i = 0;
        while (model.get(i).last() < offset) {
            i++;
        }
        Batch first = model.get(i);
        if (first.size() > maxBytes && !minOne) {
            return LogSlice.EMPTY;
        }
        int size = first.size();
        long last = first.last();
        for (int j = i + 1; j < model.size(); j++) {
            Batch next = model.get(j);
            if (next.segment() != first.segment() || next.base() >= maxOffset || size + next.size() > maxBytes) {
                break;
            }
            size += next.size();
            last = next.last();
        }
        return new LogSlice(null, 0, size, first.base(), last);
    }
}
