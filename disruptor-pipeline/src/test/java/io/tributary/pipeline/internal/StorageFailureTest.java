package io.tributary.pipeline.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.internal.DiskFaults;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline over a real log whose fsyncs fail ({@link DiskFaults}): the partition goes offline,
 * its appends fail with STORAGE_ERROR, and the operator gets one ERROR line for the incident, from
 * whichever layer, not one per append.
 */
@Timeout(20)
class StorageFailureTest {
    private static final long FLUSH_INTERVAL_MS = 10;

    @TempDir
    Path dir;

    private final DiskFaults faults = new DiskFaults();
    private final Logger tributaryLogger = (Logger) LoggerFactory.getLogger("io.tributary");
    private final Errors errors = new Errors();
    private LogManager log;
    private IngestPipeline pipeline;

    @BeforeEach
    void start() {
        errors.start();
        tributaryLogger.addAppender(errors);
        log = faults.open(LogManagerConfig.builder(dir.resolve("data")).retentionCheckIntervalMs(3_600_000).build());
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir.resolve("data")).ringSize(64)
                .build());
    }

    @AfterEach
    void stop() {
        pipeline.close();
        log.close();
        tributaryLogger.detachAppender(errors);
    }

    @Test
    void failedBackgroundFlushFailsTheNextAppendsWithOneErrorLine() throws Exception {
        // Given an async partition flushed every 10 ms on a disk whose fsyncs fail, and one batch
        // appended, which the background flusher then fails to force
        PartitionLog p = log.createTopic("t", 1, Map.of(LogConfig.FLUSH_POLICY, "async",
                LogConfig.FLUSH_MS, Long.toString(FLUSH_INTERVAL_MS))).partition(0);
        faults.failForces(true);
        assertThat(append(pipeline, p, batch().build()).error()).isEqualTo(AppendError.NONE);
        awaitOffline(p);

        // When the producer goes on
        AppendResult next = append(pipeline, p, batch().build());
        AppendResult after = append(pipeline, p, batch().build());

        // Then both fail with STORAGE_ERROR and the log's reason, nothing more was written, and
        // the incident logged one ERROR line although the flusher kept running
        assertThat(next.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(next.message()).contains("partition t-0 is offline since the fsync at offset 0 failed")
                .contains("restart the broker");
        assertThat(after.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(p.logEndOffset()).isEqualTo(1);
        Thread.sleep(10 * FLUSH_INTERVAL_MS);
        assertThat(errors.lines).singleElement().satisfies(line ->
                assertThat(line.getFormattedMessage()).contains("Partition t-0 is offline"));
    }

    @Test
    void failedSyncFsyncFailsItsAppendAndEveryLaterOneWithOneErrorLine() throws Exception {
        // Given a sync partition holding one acknowledged batch, whose next fsync fails
        PartitionLog p = log.createTopic("t", 1, Map.of(LogConfig.FLUSH_POLICY, "sync")).partition(0);
        assertThat(append(pipeline, p, batch().build()).error()).isEqualTo(AppendError.NONE);
        faults.failForces(true);
        AppendResult failed = append(pipeline, p, batch().build());
        // as after fsyncgate: the kernel dropped the failed pages, so the next fsync would succeed
        faults.failForces(false);

        // When the producer goes on
        AppendResult later = append(pipeline, p, batch().build());

        // Then both fail, the later one is not written, the high watermark stays below the failed
        // batch, and one ERROR line was logged
        assertThat(failed.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(later.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(later.message()).contains("partition t-0 is offline since the fsync at offset 1 failed");
        assertThat(p.logEndOffset()).isEqualTo(2);
        assertThat(p.highWatermark()).isEqualTo(1);
        assertThat(errors.lines).hasSize(1);
    }

    private static void awaitOffline(PartitionLog p) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (p.offlineReason().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(p.offlineReason()).as("offline reason of %s", p).isPresent();
    }

    /** Keeps the ERROR lines logged under io.tributary during a test. */
    private static final class Errors extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel() == Level.ERROR) {
                lines.add(event);
            }
        }
    }
}
