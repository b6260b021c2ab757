package io.tributary.log.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogOfflineException;
import io.tributary.log.PartitionLog;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A partition whose flush or cut-back failed goes offline for good: no more writes or fsyncs, the
 * recovery point stays at its last successful flush, and close leaves no clean-shutdown marker.
 */
@Timeout(20)
class OfflinePartitionTest {
    private static final Map<String, String> SYNC = Map.of(LogConfig.FLUSH_POLICY, "sync");
    private static final long FLUSH_INTERVAL_MS = 10;

    @TempDir
    Path dir;

    private final DiskFaults faults = new DiskFaults();
    private final Logger logLogger = (Logger) LoggerFactory.getLogger("io.tributary.log");
    private final LoggedLines logged = new LoggedLines();
    private DefaultLogManager log;

    @BeforeEach
    void captureLog() {
        logged.start();
        logLogger.addAppender(logged);
    }

    @AfterEach
    void close() {
        logLogger.detachAppender(logged);
        if (log != null) {
            log.close();
        }
    }

    private DefaultLogManager open() {
        log = faults.openDefault(LogManagerConfig.builder(dir).retentionCheckIntervalMs(3_600_000).build());
        return log;
    }

    /** A sync partition with offsets 0-1 flushed and offset 2 written, whose flush then failed. */
    private PartitionLog partitionWithAFailedFlush() throws IOException {
        PartitionLog p = open().createTopic("t", 1, SYNC).partition(0);
        appendCommitted(p, 1, 100);
        appendCommitted(p, 1, 100);
        p.flush();
        appendCommitted(p, 1, 100);
        faults.failForces(true);
        assertThat(catchThrowable(p::flush)).isInstanceOf(LogOfflineException.class);
        // as after fsyncgate: the kernel dropped the failed pages, so a retried fsync would succeed
        faults.failForces(false);
        return p;
    }

    private Path logFile() {
        return dir.resolve("t-0").resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
    }

    @Test
    void failedFlushSaysWhyAndTakesThePartitionOffline() throws IOException {
        // Given a sync partition with offsets 0-1 flushed and offset 2 written
        PartitionLog p = open().createTopic("t", 1, SYNC).partition(0);
        appendCommitted(p, 2, 100);
        p.flush();
        appendCommitted(p, 1, 100);
        faults.failForces(true);

        // When its next flush fails
        Throwable thrown = catchThrowable(p::flush);

        // Then the flush throws the documented exception, the partition says why it is offline,
        // and one ERROR line says so
        assertThat(thrown).isInstanceOf(LogOfflineException.class)
                .hasMessageContaining("partition t-0 is offline since the fsync at offset 2 failed")
                .hasMessageContaining(DiskFaults.FSYNC_FAILURE)
                .hasMessageContaining("restart the broker to recover it")
                .hasRootCauseMessage(DiskFaults.FSYNC_FAILURE);
        assertThat(p.offlineReason()).contains(thrown.getMessage());
        assertThat(logged.errors()).singleElement().satisfies(line -> {
            assertThat(line.getFormattedMessage()).contains("Partition t-0 is offline: the fsync at offset 2 failed");
            assertThat(line.getThrowableProxy().getMessage()).isEqualTo(DiskFaults.FSYNC_FAILURE);
        });
    }

    @Test
    void appendAfterAFailedFlushThrowsWithoutWriting() throws IOException {
        // Given a partition whose flush failed
        PartitionLog p = partitionWithAFailedFlush();
        long bytesBefore = Files.size(logFile());

        // When a batch is appended
        Throwable thrown = catchThrowable(() -> p.append(TestBatches.batch(3, 1, 100)));

        // Then it is refused, and nothing reached the file
        assertThat(thrown).isInstanceOf(LogOfflineException.class)
                .hasMessageContaining("partition t-0 is offline since the fsync at offset 2 failed")
                .hasMessageContaining("restart the broker");
        assertThat(p.logEndOffset()).isEqualTo(3);
        assertThat(Files.size(logFile())).isEqualTo(bytesBefore);
        assertThat(logged.errors()).hasSize(1);
    }

    @Test
    void failedFlushIsNeverRetried() throws IOException {
        // Given a partition whose flush failed, on a disk whose fsyncs would now succeed
        PartitionLog p = partitionWithAFailedFlush();
        int forcesBefore = faults.forceCalls();
        long flushesBefore = p.flushCount();

        // When the partition is flushed again
        Throwable thrown = catchThrowable(p::flush);

        // Then no file is forced: a success now would not prove the lost pages are on the device
        assertThat(thrown).isInstanceOf(LogOfflineException.class);
        assertThat(faults.forceCalls()).isEqualTo(forcesBefore);
        assertThat(p.flushCount()).isEqualTo(flushesBefore);
    }

    @Test
    void recoveryPointCheckpointStaysAtTheLastSuccessfulFlush() throws IOException {
        // Given a partition flushed up to offset 2 whose next flush failed
        PartitionLog p = partitionWithAFailedFlush();

        // When it is flushed again (an fsync would succeed now) and the recovery points are checkpointed
        catchThrowable(p::flush);
        log.checkpointRecoveryPointsNow();

        // Then the partition's stays below the bytes of the failed flush
        assertThat(RecoveryPointCheckpoint.read(dir)).containsExactly(Map.entry("t-0", 2L));
    }

    @Test
    void closeLeavesNoCleanShutdownMarkerSoTheNextOpenValidatesTheTail() throws IOException {
        // Given a partition whose flush failed
        partitionWithAFailedFlush();

        // When the log is closed
        log.close();
        log = null;

        // Then the close forced nothing, wrote no marker and kept the recovery point, said so, and
        // the next open validates the tail
        assertThat(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN)).doesNotExist();
        assertThat(RecoveryPointCheckpoint.read(dir)).containsExactly(Map.entry("t-0", 2L));
        assertThat(logged.warnings()).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("without the clean-shutdown marker").contains("t-0"));
        try (DefaultLogManager reopened = LogTestSupport.open(dir)) {
            assertThat(reopened.recoveredOnOpen()).isTrue();
            assertThat(reopened.segmentsValidatedOnOpen()).isPositive();
            PartitionLog p = reopened.topic("t").orElseThrow().partition(0);
            assertThat(p.offlineReason()).isEmpty();
            assertThat(p.logEndOffset()).isEqualTo(3);
        }
    }

    @Test
    void failedBackgroundFlushTakesThePartitionOffline() throws Exception {
        // Given an async partition flushed every 10 ms, on a disk whose fsyncs fail
        PartitionLog p = open().createTopic("t", 1, Map.of(LogConfig.FLUSH_POLICY, "async",
                LogConfig.FLUSH_MS, Long.toString(FLUSH_INTERVAL_MS))).partition(0);
        faults.failForces(true);

        // When a batch is appended, which the background flusher then fails to force
        appendCommitted(p, 1, 100);

        // Then the partition goes offline, its next append is refused, and the flusher, still
        // running, logged the failure once
        awaitOffline(p);
        assertThat(catchThrowable(() -> p.append(TestBatches.batch(1, 1, 100))))
                .isInstanceOf(LogOfflineException.class)
                .hasMessageContaining("partition t-0 is offline since the fsync at offset 0 failed");
        Thread.sleep(10 * FLUSH_INTERVAL_MS);
        assertThat(logged.errors()).hasSize(1);
        assertThat(p.logEndOffset()).isEqualTo(1);
    }

    @Test
    void failedWriteWhoseCutBackFailsTakesThePartitionOffline() throws IOException {
        // Given a partition holding one batch, on a disk that fills up and whose truncates fail
        PartitionLog p = open().createTopic("t", 1, SYNC).partition(0);
        appendCommitted(p, 1, 100);
        faults.failWrites(true);
        faults.failTruncates(true);

        // When a batch is appended
        Throwable thrown = catchThrowable(() -> p.append(TestBatches.batch(1, 1, 100)));

        // Then the append reports the partition offline, and later appends and flushes are refused
        // even once the disk works again
        assertThat(thrown).isInstanceOf(LogOfflineException.class)
                .hasMessageContaining("partition t-0 is offline since the write and its cut-back at offset 1 failed")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining(DiskFaults.TRUNCATE_FAILURE);
        faults.failWrites(false);
        faults.failTruncates(false);
        assertThat(catchThrowable(() -> p.append(TestBatches.batch(1, 1, 100))))
                .isInstanceOf(LogOfflineException.class);
        assertThat(catchThrowable(p::flush)).isInstanceOf(LogOfflineException.class);
        assertThat(p.logEndOffset()).isEqualTo(1);
    }

    @Test
    void reopenAfterAFailedCutBackRemovesTheHalfWrittenBatch() throws IOException {
        // Given a partition whose failed write left half a batch behind a failed cut-back
        PartitionLog p = open().createTopic("t", 1, SYNC).partition(0);
        ByteBuffer first = appendCommitted(p, 1, 100);
        p.flush();
        faults.failWrites(true);
        faults.failTruncates(true);
        assertThat(catchThrowable(() -> p.append(TestBatches.batch(1, 1, 100))))
                .isInstanceOf(LogOfflineException.class);
        faults.failWrites(false);
        faults.failTruncates(false);
        assertThat(Files.size(logFile())).isGreaterThan(first.remaining());

        // When the log is closed and opened again
        log.close();
        log = null;
        try (DefaultLogManager reopened = LogTestSupport.open(dir)) {

            // Then the tail was validated and the half batch cut
            assertThat(reopened.recoveredOnOpen()).isTrue();
            PartitionLog again = reopened.topic("t").orElseThrow().partition(0);
            assertThat(again.logEndOffset()).isEqualTo(1);
            assertThat(Slices.readAll(again, 0)).isEqualTo(Slices.bytes(first));
        }
    }

    private static void awaitOffline(PartitionLog p) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (p.offlineReason().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(p.offlineReason()).as("offline reason of %s", p).isPresent();
    }

    /** Keeps the WARN and ERROR lines logged under io.tributary.log during a test. */
    private static final class LoggedLines extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                lines.add(event);
            }
        }

        List<ILoggingEvent> errors() {
            return lines.stream().filter(line -> line.getLevel() == Level.ERROR).toList();
        }

        List<ILoggingEvent> warnings() {
            return lines.stream().filter(line -> line.getLevel() == Level.WARN).toList();
        }
    }
}
