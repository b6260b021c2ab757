package io.tributary.log.internal;

import io.tributary.log.PartitionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RecoveryPointTest {
    @TempDir
    Path dir;

    private byte[] checkpointAtCrash;

    /** Writes 4 segments of 3 batches, flushing and checkpointing after the first 7 batches. */
    private void writeWithCheckpointAfterSevenBatches() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of("segment.bytes", "240")).partition(0);
            for (int i = 0; i < 7; i++) {
                appendCommitted(p, 1, 100);
            }
            p.flush();
            log.checkpointRecoveryPointsNow();
            checkpointAtCrash = Files.readAllBytes(dir.resolve(RecoveryPointCheckpoint.FILE_NAME));
            for (int i = 0; i < 5; i++) {
                appendCommitted(p, 1, 100);
            }
            assertThat(DefaultPartitionLogTest.segments(p)).extracting(LogSegment::baseOffset)
                    .containsExactly(0L, 3L, 6L, 9L);
        }
        // as if the process had died here: no marker, and the checkpoint as last written before
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN));
        Files.write(dir.resolve(RecoveryPointCheckpoint.FILE_NAME), checkpointAtCrash);
    }

    @Test
    void checkpointsThatCannotBeWrittenAtStartDoNotStopTheLogFromOpeningAndServingReads() throws IOException {
        // Given a log stopped uncleanly, whose checkpoint files can no longer be written (as on a full
        // disk: here a directory stands where each temporary file would go)
        writeWithCheckpointAfterSevenBatches();
        Path recoveryBlock = Files.createDirectory(dir.resolve(RecoveryPointCheckpoint.FILE_NAME + ".tmp"));
        Path startBlock = Files.createDirectory(dir.resolve(LogStartOffsetCheckpoint.FILE_NAME + ".tmp"));

        // When it is opened
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            // Then every batch is there to read, and the stale recovery point file is gone, so that
            // the next unclean start validates everything
            PartitionLog p = log.topic("t").orElseThrow().partition(0);
            assertThat(p.logEndOffset()).isEqualTo(12);
            assertThat(Slices.baseOffsets(p)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(dir.resolve(RecoveryPointCheckpoint.FILE_NAME)).doesNotExist();
            Files.delete(recoveryBlock);
            Files.delete(startBlock);
        }
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.topic("t").orElseThrow().partition(0).logEndOffset()).isEqualTo(12);
        }
    }

    @Test
    void checkpointFileListsEachPartition() throws IOException {
        writeWithCheckpointAfterSevenBatches();

        List<String> lines = Files.readAllLines(dir.resolve(RecoveryPointCheckpoint.FILE_NAME));

        assertThat(lines).containsExactly("0", "1", "t 0 7");
        assertThat(RecoveryPointCheckpoint.read(dir)).containsExactly(Map.entry("t-0", 7L));
    }

    @Test
    void recoveryValidatesOnlySegmentsEndingAfterTheRecoveryPoint() throws IOException {
        writeWithCheckpointAfterSevenBatches();

        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.recoveredOnOpen()).isTrue();
            assertThat(log.segmentsValidatedOnOpen()).as("[6,9) and [9,12)").isEqualTo(2);
            assertThat(log.topic("t").orElseThrow().partition(0).logEndOffset()).isEqualTo(12);
        }
    }

    @Test
    void damageAfterTheRecoveryPointIsStillCut() throws IOException {
        writeWithCheckpointAfterSevenBatches();
        try (FileChannel ch = FileChannel.open(dir.resolve("t-0").resolve(LogSegment.fileName(6, LogSegment.LOG_SUFFIX)),
                StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }

        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.topic("t").orElseThrow().partition(0);
            assertThat(p.logEndOffset()).isEqualTo(8);
            assertThat(Slices.baseOffsets(p)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
    }

    @Test
    void openAndCloseRewriteTheCheckpointWithTheLogEnd() throws IOException {
        writeWithCheckpointAfterSevenBatches();

        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(RecoveryPointCheckpoint.read(dir)).containsExactly(Map.entry("t-0", 12L));
            appendCommitted(log.topic("t").orElseThrow().partition(0), 1, 100);
        }

        assertThat(RecoveryPointCheckpoint.read(dir)).containsExactly(Map.entry("t-0", 13L));
    }

    @Test
    void malformedCheckpointMeansValidateEverything() throws IOException {
        writeWithCheckpointAfterSevenBatches();
        Files.writeString(dir.resolve(RecoveryPointCheckpoint.FILE_NAME), "0\n5\nt 0 x\n");

        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.segmentsValidatedOnOpen()).isEqualTo(4);
        }
    }
}
