package io.tributary.log.internal;

import io.tributary.log.CleanerConfig;
import io.tributary.log.CleanerHints;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.internal.KeyedBatches.Rec;
import io.tributary.log.testing.MutableClock;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.tributary.log.internal.KeyedBatches.append;
import static io.tributary.log.internal.KeyedBatches.appendTransactional;
import static io.tributary.log.internal.KeyedBatches.latest;
import static io.tributary.log.internal.KeyedBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class LogCleanerTest {
    /** A one-record keyed batch is about 75 bytes: four fit in a segment. */
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact", "segment.bytes", "300",
            "min.cleanable.dirty.ratio", "0.01");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private DefaultLogManager manager;

    private DefaultLogManager open(CleanerConfig cleaner) {
        return open(cleaner, CleanerHints.NONE);
    }

    private DefaultLogManager open(CleanerConfig cleaner, CleanerHints hints) {
        manager = DefaultLogManager.open(LogManagerConfig.builder(dir).clock(clock).retentionCheckIntervalMs(3_600_000)
                .fileDeleteDelayMs(3_600_000).cleaner(cleaner).cleanerHints(hints).build(), ChannelFactory.DEFAULT);
        return manager;
    }

    private DefaultLogManager open() {
        return open(new CleanerConfig(false, 1, 1 << 20, Double.MAX_VALUE, 15_000));
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    /** Five keys, six values each, one record per batch, so the segments roll every four records. */
    private void writeRounds(PartitionLog log, int rounds) throws IOException {
        for (int round = 0; round < rounds; round++) {
            for (int key = 0; key < 5; key++) {
                append(log, clock.millis(), "k" + key + "=v" + round);
            }
        }
    }

    /** For each key the last record below {@code activeBase}, and every record from it on. */
    private static List<Rec> expectedAfterClean(List<Rec> before, long activeBase) {
        Map<String, Long> lastBelow = new HashMap<>();
        for (Rec r : before) {
            if (r.offset() < activeBase) {
                lastBelow.put(r.key(), r.offset());
            }
        }
        List<Rec> expected = new ArrayList<>();
        for (Rec r : before) {
            if (r.offset() >= activeBase || lastBelow.get(r.key()) == r.offset()) {
                expected.add(r);
            }
        }
        return expected;
    }

    private static long activeBase(PartitionLog log) {
        List<LogSegment> segments = DefaultPartitionLogTest.segments(log);
        return segments.get(segments.size() - 1).baseOffset();
    }

    @Test
    void keepsTheLatestRecordOfEachKeyAtItsOriginalOffset() throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        writeRounds(log, 6);
        List<Rec> before = readAll(log);
        long activeBase = activeBase(log);

        int cleans = manager.cleanNow();

        assertThat(cleans).isEqualTo(1);
        List<Rec> after = readAll(log);
        assertThat(after).containsExactlyElementsOf(expectedAfterClean(before, activeBase));
        assertThat(after).hasSizeLessThan(before.size());
        assertThat(latest(after)).isEqualTo(latest(before));
        assertThat(log.logEndOffset()).isEqualTo(30);
        append(log, clock.millis(), "k9=new");
        assertThat(readAll(log)).last().isEqualTo(new Rec(30, "k9", "new"));
    }

    @Test
    void aSecondCleanRemovesWhatTheNewRecordsMadeStale() throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        writeRounds(log, 3);
        manager.cleanNow();
        writeRounds(log, 3);
        List<Rec> before = readAll(log);
        long activeBase = activeBase(log);

        manager.cleanNow();

        assertThat(readAll(log)).containsExactlyElementsOf(expectedAfterClean(before, activeBase));
    }

    @Test
    void tombstonesStayForDeleteRetentionAfterTheFirstCleanThenGo() throws Exception {
        Map<String, String> config = new HashMap<>(COMPACTED);
        config.put("delete.retention.ms", "1000");
        PartitionLog log = open().createTopic("t", 1, config).partition(0);
        append(log, clock.millis(), "a=1");
        append(log, clock.millis(), "b=1");
        append(log, clock.millis(), "a=");
        for (int i = 0; i < 6; i++) {
            append(log, clock.millis(), "f" + i + "=x");
        }
        manager.cleanNow();
        assertThat(readAll(log)).extracting(Rec::key, Rec::value).contains(org.assertj.core.groups.Tuple.tuple("a", null))
                .doesNotContain(org.assertj.core.groups.Tuple.tuple("a", "1"));

        clock.advance(2_000);
        for (int i = 6; i < 14; i++) {
            append(log, clock.millis(), "f" + i + "=x");
        }
        manager.cleanNow();

        List<Rec> after = readAll(log);
        assertThat(after).extracting(Rec::key).doesNotContain("a").contains("b");
        assertThat(after).contains(new Rec(1, "b", "1"));
    }

    @Test
    void deleteTopicsAreNotCleanedAndCompactOnlyTopicsAreNotTrimmedByRetention() throws Exception {
        open();
        PartitionLog deleted = manager.createTopic("d", 1, Map.of("segment.bytes", "300", "retention.ms", "1")).partition(0);
        PartitionLog compacted = manager.createTopic("c", 1, Map.of("cleanup.policy", "compact",
                "segment.bytes", "300", "retention.ms", "1", "min.cleanable.dirty.ratio", "1")).partition(0);
        writeRounds(deleted, 2);
        writeRounds(compacted, 2);
        List<Rec> compactedBefore = readAll(compacted);

        clock.advance(10_000);
        manager.checkRetentionNow();

        assertThat(manager.cleanNow()).isZero();
        assertThat(readAll(compacted)).isEqualTo(compactedBefore);
        assertThat(deleted.logStartOffset()).isPositive();
    }

    @Test
    void controlBatchesAreKeptWhole() throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        append(log, clock.millis(), "a=1");
        log.append(TestBatches.batch().baseOffset(1).attributes(RecordBatchHeader.CONTROL_FLAG_MASK
                | RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build());
        log.highWatermark(log.logEndOffset());
        append(log, clock.millis(), "a=2");
        writeRounds(log, 3);

        manager.cleanNow();

        assertThat(Slices.baseOffsets(log)).contains(1L).doesNotContain(0L);
    }

    /**
     * Batches of three records compressed by kafka-clients, idempotent: the cleaner keeps the
     * latest record of each key as for uncompressed batches; a batch that keeps some records is
     * rewritten with its codec, base offset, last offset, producer id and base sequence; one that
     * keeps none is gone. Read back with kafka-clients.
     */
    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void compressedBatchesAreCleanedAndRewrittenWithTheirCodec(CompressionType type) throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        Map<Long, MutableRecordBatch> originals = new HashMap<>();
        int sequence = 0;
        for (int round = 0; round < 8; round++) {
            SimpleRecord[] records = new SimpleRecord[3];
            for (int i = 0; i < 3; i++) {
                int n = round * 3 + i;
                String value = n % 7 == 6 ? null : "v" + n;
                records[i] = new SimpleRecord(clock.millis() + n, ("k" + n % 4).getBytes(StandardCharsets.UTF_8),
                        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
            }
            MemoryRecords batch = MemoryRecords.withIdempotentRecords(log.logEndOffset(), Compression.of(type).build(),
                    77L, (short) 3, sequence, 0, records);
            sequence += 3;
            originals.put(log.logEndOffset(), batch.batches().iterator().next());
            log.append(batch.buffer());
            log.highWatermark(log.logEndOffset());
        }
        List<Rec> before = kafkaRead(log, type, originals);
        long activeBase = activeBase(log);

        assertThat(manager.cleanNow()).isEqualTo(1);

        List<Rec> after = kafkaRead(log, type, originals);
        assertThat(after).containsExactlyElementsOf(expectedAfterClean(before, activeBase));
        assertThat(after).hasSizeLessThan(before.size());
        assertThat(latest(after)).isEqualTo(latest(before));
        assertThat(log.logEndOffset()).isEqualTo(24);
    }

    /**
     * The records of the partition decoded by kafka-clients; checks each batch's CRC, that it is
     * compressed with {@code type} unless empty, and that it keeps the last offset and producer
     * fields of the batch it was cleaned from.
     */
    private static List<Rec> kafkaRead(PartitionLog log, CompressionType type, Map<Long, MutableRecordBatch> originals)
            throws IOException {
        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(Slices.readAll(log, log.logStartOffset())));
        List<Rec> out = new ArrayList<>();
        for (MutableRecordBatch batch : records.batches()) {
            batch.ensureValid();
            MutableRecordBatch original = originals.get(batch.baseOffset());
            assertThat(original).as("batch at %d", batch.baseOffset()).isNotNull();
            assertThat(batch.lastOffset()).isEqualTo(original.lastOffset());
            assertThat(batch.producerId()).isEqualTo(77L);
            assertThat(batch.producerEpoch()).isEqualTo((short) 3);
            assertThat(batch.baseSequence()).isEqualTo(original.baseSequence());
            if (batch.countOrNull() != null && batch.countOrNull() > 0) {
                assertThat(batch.compressionType()).isEqualTo(type);
            }
            for (org.apache.kafka.common.record.internal.Record record : batch) {
                out.add(new Rec(record.offset(), text(record.key()), text(record.value())));
            }
        }
        return out;
    }

    private static String text(ByteBuffer buffer) {
        return buffer == null ? null : StandardCharsets.UTF_8.decode(buffer).toString();
    }

    /** Hints as the transaction state gives them: fixed aborted producers and a fixed stable offset. */
    private record FixedHints(Set<Long> abortedProducers, long stableOffset) implements CleanerHints {
        @Override
        public boolean isAborted(String topic, int partition, long producerId, long batchBaseOffset) {
            return abortedProducers.contains(producerId);
        }

        @Override
        public boolean canRemoveMarker(String topic, int partition, long markerOffset) {
            return false;
        }

        @Override
        public long stableOffset(String topic, int partition) {
            return stableOffset;
        }
    }

    @Test
    void anAbortedRecordNeverShadowsTheCommittedValueOfItsKeyAndIsRemoved() throws Exception {
        PartitionLog log = open(new CleanerConfig(false, 1, 1 << 20, Double.MAX_VALUE, 15_000),
                new FixedHints(Set.of(8L), Long.MAX_VALUE)).createTopic("t", 1, COMPACTED).partition(0);
        appendTransactional(log, clock.millis(), 7, "a=v1");
        appendTransactional(log, clock.millis(), 8, "a=aborted", "b=aborted");
        append(log, clock.millis(), "c=1");
        writeRounds(log, 3);
        long activeBase = activeBase(log);
        assertThat(activeBase).isGreaterThan(2);

        assertThat(manager.cleanNow()).isEqualTo(1);

        List<Rec> after = readAll(log);
        assertThat(after).contains(new Rec(0, "a", "v1"));
        assertThat(after).extracting(Rec::value).doesNotContain("aborted");
        assertThat(after).extracting(Rec::key).doesNotContain("b");
    }

    @Test
    void aMarkerGoesOnceItsTransactionLeftNothingAndItWasCleanedOverPastDeleteRetention() throws Exception {
        Map<String, String> config = new HashMap<>(COMPACTED);
        config.put("delete.retention.ms", "1000");
        PartitionLog log = open(new CleanerConfig(false, 1, 1 << 20, Double.MAX_VALUE, 15_000),
                new FixedHints(Set.of(8L), Long.MAX_VALUE)).createTopic("t", 1, config).partition(0);
        // Given a committed transaction whose record stays (a=v1, marker at 1) and an aborted one (marker at 3)
        appendTransactional(log, clock.millis(), 7, "a=v1");
        appendMarker(log, clock.millis(), 7);
        appendTransactional(log, clock.millis(), 8, "a=aborted");
        appendMarker(log, clock.millis(), 8);
        for (int i = 0; i < 6; i++) {
            append(log, clock.millis(), "f" + i + "=x");
        }

        // When the first clean removes the aborted record, both markers stay: nobody has passed them yet
        manager.cleanNow();
        assertThat(Slices.baseOffsets(log)).contains(1L, 3L).doesNotContain(2L);

        // Then, cleaned over again past delete.retention.ms, the marker of the transaction that left nothing
        // goes (at most an empty batch keeps its group's last offset, as Kafka's) and the one whose record is
        // still there stays
        clock.advance(2_000);
        for (int i = 6; i < 14; i++) {
            append(log, clock.millis(), "f" + i + "=x");
        }
        manager.cleanNow();
        assertThat(readAll(log)).extracting(Rec::offset).contains(0L, 1L).doesNotContain(2L, 3L);
        assertThat(readAll(log)).contains(new Rec(0, "a", "v1"), new Rec(1, "ctl", "x"));
    }

    /** A one-record control batch of {@code producerId} at the log end (its content is not read here). */
    private static void appendMarker(PartitionLog log, long timestamp, long producerId) throws IOException {
        ByteBuffer batch = KeyedBatches.batch(log.logEndOffset(), timestamp, "ctl=x");
        batch.putShort(RecordBatchHeader.ATTRIBUTES_OFFSET,
                (short) (RecordBatchHeader.TRANSACTIONAL_FLAG_MASK | RecordBatchHeader.CONTROL_FLAG_MASK));
        batch.putLong(RecordBatchHeader.PRODUCER_ID_OFFSET, producerId);
        batch.putShort(RecordBatchHeader.PRODUCER_EPOCH_OFFSET, (short) 0);
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) new RecordBatchHeader().wrap(batch, 0).computeCrc());
        log.append(batch);
        log.highWatermark(log.logEndOffset());
    }

    @Test
    void nothingFromTheLastStableOffsetOnIsCleaned() throws Exception {
        PartitionLog log = open(new CleanerConfig(false, 1, 1 << 20, Double.MAX_VALUE, 15_000),
                new FixedHints(Set.of(), 4)).createTopic("t", 1, COMPACTED).partition(0);
        writeRounds(log, 6);
        List<Rec> before = readAll(log);

        manager.cleanNow();

        List<Rec> after = readAll(log);
        assertThat(after).containsExactlyElementsOf(expectedAfterClean(before, 4));
        assertThat(after.stream().filter(r -> r.offset() >= 4).count()).isEqualTo(26);
    }

    @Test
    void aCleanedLogReopensTheSameAfterACleanStopAndAfterACrash() throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        writeRounds(log, 6);
        manager.cleanNow();
        List<Rec> cleaned = readAll(log);
        manager.close();

        log = open().topic("t").orElseThrow().partition(0);
        assertThat(readAll(log)).isEqualTo(cleaned);
        manager.close();
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN));
        Files.deleteIfExists(dir.resolve(RecoveryPointCheckpoint.FILE_NAME));

        log = open().topic("t").orElseThrow().partition(0);

        assertThat(manager.segmentsValidatedOnOpen()).isPositive();
        assertThat(readAll(log)).isEqualTo(cleaned);
        assertThat(log.logEndOffset()).isEqualTo(30);
    }

    @Test
    void whereTheCleanerStoppedSurvivesARestart() throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        writeRounds(log, 6);
        manager.cleanNow();
        long cleanedUpTo = ((DefaultPartitionLog) log).firstDirtyOffset();
        manager.close();

        log = open().topic("t").orElseThrow().partition(0);

        assertThat(cleanedUpTo).isPositive();
        assertThat(((DefaultPartitionLog) log).firstDirtyOffset()).isEqualTo(cleanedUpTo);
        assertThat(manager.cleanNow()).as("cleans of a partition with nothing new").isZero();
    }

    @Test
    void anUnfinishedCleanIsDiscardedAtOpen() throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        writeRounds(log, 3);
        List<Rec> before = readAll(log);
        manager.close();
        Path partitionDir = dir.resolve("t-0");
        Files.write(partitionDir.resolve(LogSegment.fileName(0, ".log") + LogSegment.CLEANED_SUFFIX), new byte[100]);
        Files.write(partitionDir.resolve(LogSegment.fileName(0, ".index") + LogSegment.SWAP_SUFFIX), new byte[8]);

        log = open().topic("t").orElseThrow().partition(0);

        assertThat(readAll(log)).isEqualTo(before);
        try (Stream<Path> files = Files.list(partitionDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap"));
        }
    }

    /**
     * A crash after the cleaner committed its swap but before the old segments went: the
     * directory holds the old segments and the cleaned ones as {@code .swap} files (without their
     * indexes for one of them). Opening completes the swap.
     */
    @Test
    void aCommittedSwapIsCompletedAtOpenAfterACrash() throws Exception {
        PartitionLog log = open().createTopic("t", 1, COMPACTED).partition(0);
        writeRounds(log, 6);
        manager.close();
        Path partitionDir = dir.resolve("t-0");
        Path old = dir.resolveSibling(dir.getFileName() + "-old");
        copyDir(partitionDir, old);
        log = open().topic("t").orElseThrow().partition(0);
        manager.cleanNow();
        List<Rec> cleaned = readAll(log);
        List<Long> cleanedBases = new ArrayList<>();
        List<LogSegment> segments = DefaultPartitionLogTest.segments(log);
        for (LogSegment segment : segments.subList(0, segments.size() - 1)) {
            cleanedBases.add(segment.baseOffset());
        }
        manager.close();
        manager = null;
        for (long base : cleanedBases) {
            for (String suffix : new String[] {".log", ".index", ".timeindex"}) {
                Path file = partitionDir.resolve(LogSegment.fileName(base, suffix));
                if (suffix.equals(".log") || base != cleanedBases.get(0)) {
                    Files.move(file, file.resolveSibling(file.getFileName() + LogSegment.SWAP_SUFFIX));
                } else {
                    Files.delete(file);
                }
            }
        }
        copyDir(old, partitionDir);
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN));

        log = open().topic("t").orElseThrow().partition(0);

        assertThat(readAll(log)).isEqualTo(cleaned);
        assertThat(log.logEndOffset()).isEqualTo(30);
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (!Files.exists(to.resolve(file.getFileName()))) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }

    @Test
    void alteringATopicIntoBeingDueWakesAnIdleCleaner() throws Exception {
        Map<String, String> notDue = new HashMap<>(COMPACTED);
        notDue.put("min.cleanable.dirty.ratio", "1");
        PartitionLog log = open(new CleanerConfig(true, 1, 1 << 20, Double.MAX_VALUE, 600_000)).createTopic("t", 1, notDue)
                .partition(0);
        writeRounds(log, 6);
        List<Rec> expected = expectedAfterClean(readAll(log), activeBase(log));
        Thread.sleep(200); // let the thread finish its first pass, which finds nothing due, and go idle for 10 minutes

        manager.alterTopicConfig("t", COMPACTED);

        long deadline = System.nanoTime() + 30_000_000_000L;
        while (manager.backgroundCleans() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(manager.backgroundCleans()).isEqualTo(1);
        assertThat(readAll(log)).isEqualTo(expected);
    }

    @Test
    void theBackgroundCleanerCleansADuePartitionOnItsOwn() throws Exception {
        PartitionLog log = open(new CleanerConfig(true, 2, 2 << 20, 10_000_000, 20)).createTopic("t", 1, COMPACTED)
                .partition(0);
        writeRounds(log, 6);
        List<Rec> expected = expectedAfterClean(readAll(log), activeBase(log));

        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((manager.backgroundCleans() == 0 || !readAll(log).equals(expected)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(readAll(log)).isEqualTo(expected);
        assertThat(manager.backgroundCleans()).isPositive();
    }
}
