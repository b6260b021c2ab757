package io.tributary.log.internal;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How many file descriptors a partition holds (decision 0048), counted from the open files of this process
 * ({@code /proc/self/fd}): an idle segment holds its log's alone, its indexes are opened by the first entry or
 * lookup and given back once the segment is inactive and forced, or loaded at start-up, and by the retention pass.
 */
@Timeout(20)
class PartitionDescriptorsTest {
    /** Small segments with an entry per batch, kept whatever their (1970) timestamps. */
    private static final Map<String, String> SMALL_SEGMENTS_DENSE_INDEX = Map.of("segment.bytes", "400",
            "index.interval.bytes", "1", "retention.ms", "-1");
    private static final Path OPEN_FILES = Path.of("/proc/self/fd");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsProcFs() {
        assumeTrue(Files.isDirectory(OPEN_FILES), "counts descriptors through /proc/self/fd");
    }

    @Test
    void aNewIdlePartitionHoldsOneDescriptorNotThree() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            // Given a new partition, which then takes a few batches below the index interval and is flushed
            PartitionLog p = log.createTopic("t", 1, Map.of()).partition(0);
            List<Path> whenNew = openFilesIn(partitionDir());
            appendCommitted(p, 2, 1000);
            appendCommitted(p, 2, 1001);
            p.flush();

            // Then it held, and still holds, its log file open and nothing else
            assertThat(whenNew).extracting(PartitionDescriptorsTest::fileName).containsExactly("00000000000000000000.log");
            assertThat(openFilesIn(partitionDir())).extracting(PartitionDescriptorsTest::fileName)
                    .containsExactly("00000000000000000000.log");
        }
    }

    @Test
    void rolledSegmentsGiveTheirIndexesBackAtTheFlushAndLookupsInThemStillWork() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            // Given a partition whose appends add index entries and roll segments
            PartitionLog p = log.createTopic("t", 1, SMALL_SEGMENTS_DENSE_INDEX).partition(0);
            for (int i = 0; i < 12; i++) {
                appendCommitted(p, 2, 1000 + i);
            }
            int segments = DefaultPartitionLogTest.segments(p).size();
            assertThat(segments).isGreaterThanOrEqualTo(3);

            // When it is flushed
            p.flush();

            // Then each segment holds its log open, and only the active one its indexes too
            List<String> open = openFilesIn(partitionDir()).stream().map(PartitionDescriptorsTest::fileName).toList();
            assertThat(open).filteredOn(name -> name.endsWith(LogSegment.LOG_SUFFIX)).hasSize(segments);
            assertThat(open).filteredOn(name -> name.endsWith(OffsetIndex.SUFFIX)).hasSize(1);
            assertThat(open).filteredOn(name -> name.endsWith(TimeIndex.SUFFIX)).hasSize(1);
            assertThat(open).hasSize(segments + 2);

            // And every offset can still be read, through the lookups that open the released indexes again
            assertEveryOffsetReadable(p);
            assertThat(openFilesIn(partitionDir())).hasSizeGreaterThan(segments + 2);

            // And the next retention pass closes those again
            log.checkRetentionNow();
            assertThat(openFilesIn(partitionDir())).hasSize(segments + 2);
        }
    }

    @Test
    void afterARestartEverySegmentHoldsOnlyItsLog() throws IOException {
        int segments;
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            // Given a partition of several segments, closed cleanly
            PartitionLog p = log.createTopic("t", 1, SMALL_SEGMENTS_DENSE_INDEX).partition(0);
            for (int i = 0; i < 12; i++) {
                appendCommitted(p, 2, 1000 + i);
            }
            segments = DefaultPartitionLogTest.segments(p).size();
        }

        // When the log is opened again
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.topic("t").orElseThrow().partition(0);

            // Then each segment holds its log file open and nothing else, and the data reads back
            assertThat(openFilesIn(partitionDir())).extracting(PartitionDescriptorsTest::fileName)
                    .hasSize(segments).allMatch(name -> name.endsWith(LogSegment.LOG_SUFFIX));
            assertEveryOffsetReadable(p);
            assertThat(p.offsetForTimestamp(1005)).hasValueSatisfying(found -> assertThat(found.offset()).isEqualTo(10));
        }
    }

    private static void assertEveryOffsetReadable(PartitionLog p) throws IOException {
        for (long offset = 0; offset < p.logEndOffset(); offset++) {
            LogSlice slice = p.read(offset, 1, Long.MAX_VALUE, true);
            assertThat(slice.firstOffset()).as("first offset read at %d", offset).isEqualTo(offset - offset % 2);
        }
    }

    private Path partitionDir() throws IOException {
        return dir.resolve("t-0").toRealPath();
    }

    private static String fileName(Path path) {
        return path.getFileName().toString();
    }

    /** The files under {@code partitionDir} this process holds open, one entry per descriptor. */
    private static List<Path> openFilesIn(Path partitionDir) throws IOException {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(OPEN_FILES)) {
            for (Path fd : (Iterable<Path>) descriptors::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(partitionDir)) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor of the listing itself, or one another thread closed: not a partition file
                }
            }
        }
        return open;
    }
}
