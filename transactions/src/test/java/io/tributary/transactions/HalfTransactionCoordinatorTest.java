package io.tributary.transactions;

import io.tributary.delivery.internal.records.RecordBatchWriter;
import io.tributary.delivery.internal.records.RecordHeader;
import io.tributary.log.CleanerConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The half-message coordinator over a real log and ingest pipeline, restarted on the same directory. */
@Timeout(120)
class HalfTransactionCoordinatorTest {
    private static final long WAIT_S = 60;

    @TempDir
    Path dir;

    private LogManager log;
    private IngestPipeline pipeline;
    private HalfTransactionCoordinator coordinator;

    @BeforeEach
    void start() {
        open(new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK));
        log.createTopic("t", 2, Map.of());
    }

    @AfterEach
    void stop() {
        close();
    }

    private void open(HalfTransactionConfig config) {
        open(config, true);
    }

    /** @param cleaning a log cleaner that looks every 20 ms instead of Kafka's 15 s, so the compaction test need not wait */
    private void open(HalfTransactionConfig config, boolean cleaning) {
        log = LogManager.open(LogManagerConfig.builder(dir)
                .cleaner(new CleanerConfig(cleaning, 1, 2L * 1024 * 1024, Double.MAX_VALUE, 20L)).build());
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).ringSize(64).build());
        coordinator = HalfTransactionCoordinator.start(config, log, pipeline, Clock.systemUTC());
    }

    private void close() {
        if (coordinator != null) {
            coordinator.close();
            pipeline.close();
            log.close();
            coordinator = null;
        }
    }

    private void restart(HalfTransactionConfig config) {
        close();
        open(config);
    }

    private static HalfMessage message(String value) {
        return new HalfMessage(1_000L, "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                List.of(new HalfMessage.Header("h", "hv".getBytes(StandardCharsets.UTF_8))));
    }

    private PartitionLog p(int partition) {
        return log.topic("t").orElseThrow().partition(partition);
    }

    /** Values of the records in t-partition, with the origin header's value after a '|'. */
    private List<String> records(int partition) throws Exception {
        List<String> out = new ArrayList<>();
        HalfTransactionCoordinator.forEachRecord(p(partition), p(partition).logStartOffset(), (o, ts, k, v, headers) -> {
            StringBuilder text = new StringBuilder(StandardCharsets.UTF_8.decode(v.duplicate()));
            for (RecordHeader h : headers) {
                text.append('|').append(h.key()).append('=').append(StandardCharsets.UTF_8.decode(h.value().duplicate()));
            }
            out.add(text.toString());
        });
        return out;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_S, TimeUnit.SECONDS);
    }

    private String state(String group, String id) throws Exception {
        return await(coordinator.state(group, id)).orElse("UNKNOWN");
    }

    private static HalfError errorOf(CompletableFuture<?> future) {
        try {
            future.get(WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HalfTransactionException h) {
                return h.error();
            }
            throw new AssertionError("unexpected failure", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return HalfError.NONE;
    }

    @Test
    void aHalfMessageReachesItsTargetOnlyWhenCommitted() throws Exception {
        await(coordinator.sendHalf("g", "tx1", "t", 1, message("v1")));

        assertThat(p(1).logEndOffset()).isZero();
        assertThat(state("g", "tx1")).isEqualTo("PREPARED");

        await(coordinator.end("g", "tx1", HalfOutcome.COMMIT));

        assertThat(records(1)).containsExactly("v1|h=hv|" + HalfTransactionCoordinator.ORIGIN_HEADER + "=g/tx1");
        assertThat(p(0).logEndOffset()).isZero();
        assertThat(state("g", "tx1")).isEqualTo("COMMITTED");
    }

    @Test
    void rollbackLeavesNothingAndTheOtherDecisionIsRefused() throws Exception {
        await(coordinator.sendHalf("g", "a", "t", 0, message("a")));
        await(coordinator.sendHalf("g", "b", "t", 0, message("b")));
        await(coordinator.end("g", "a", HalfOutcome.ROLLBACK));
        await(coordinator.end("g", "b", HalfOutcome.COMMIT));

        assertThat(errorOf(coordinator.end("g", "a", HalfOutcome.COMMIT))).isEqualTo(HalfError.ALREADY_DECIDED);
        assertThat(errorOf(coordinator.end("g", "b", HalfOutcome.ROLLBACK))).isEqualTo(HalfError.ALREADY_DECIDED);
        assertThat(errorOf(coordinator.end("g", "a", HalfOutcome.ROLLBACK))).isEqualTo(HalfError.NONE);
        assertThat(errorOf(coordinator.end("g", "b", HalfOutcome.COMMIT))).isEqualTo(HalfError.NONE);
        assertThat(errorOf(coordinator.sendHalf("g", "a", "t", 0, message("again")))).isEqualTo(HalfError.DUPLICATE_TRANSACTION);
        assertThat(errorOf(coordinator.sendHalf("g", "c", "nope", 0, message("c")))).isEqualTo(HalfError.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(errorOf(coordinator.sendHalf("g", "c", "t", 2, message("c")))).isEqualTo(HalfError.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(errorOf(coordinator.end("g", "zzz", HalfOutcome.COMMIT))).isEqualTo(HalfError.UNKNOWN_TRANSACTION);
        assertThatThrownBy(() -> await(coordinator.end("g", "a", HalfOutcome.COMMIT)))
                .hasMessageContaining("rolled back; it cannot be committed");

        assertThat(records(0)).hasSize(1).first().asString().startsWith("b|");
    }

    @Test
    void anUndecidedTransactionIsCheckedByAPollingMemberAndNotAfterItsDecision() throws Exception {
        restart(new HalfTransactionConfig(100, 100, 15, HalfOutcome.ROLLBACK));
        await(coordinator.sendHalf("g", "tx", "t", 0, message("v")));
        await(coordinator.sendHalf("other", "tx", "t", 0, message("w")));

        List<HalfCheckRequest> checks = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (checks.isEmpty() && System.nanoTime() < deadline) {
            checks = await(coordinator.pollCheck("g", 1_000));
        }
        assertThat(checks).hasSize(1);
        HalfCheckRequest check = checks.get(0);
        assertThat(check.producerGroup()).isEqualTo("g");
        assertThat(check.transactionId()).isEqualTo("tx");
        assertThat(check.topic()).isEqualTo("t");
        assertThat(new String(check.message().value(), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(check.check()).isGreaterThanOrEqualTo(1);

        await(coordinator.end("g", "tx", HalfOutcome.COMMIT));
        // drain a check that may have been queued between the poll and the decision
        await(coordinator.pollCheck("g", 0));
        assertThat(await(coordinator.pollCheck("g", 600))).isEmpty();
        assertThat(records(0)).hasSize(1);
    }

    @Test
    void theConfiguredOutcomeIsAppliedAfterTheLastCheck() throws Exception {
        restart(new HalfTransactionConfig(50, 50, 2, HalfOutcome.COMMIT));
        await(coordinator.sendHalf("g", "c", "t", 0, message("committed-by-broker")));
        waitForState("g", "c", "COMMITTED");
        assertThat(records(0)).hasSize(1).first().asString().startsWith("committed-by-broker|");

        restart(new HalfTransactionConfig(50, 50, 2, HalfOutcome.ROLLBACK));
        await(coordinator.sendHalf("g", "r", "t", 1, message("rolled-back-by-broker")));
        waitForState("g", "r", "ROLLED_BACK");
        assertThat(p(1).logEndOffset()).isZero();
        List<HalfCheckRequest> checks = await(coordinator.pollCheck("g", 0));
        assertThat(checks).extracting(HalfCheckRequest::transactionId).containsOnly("r");
        assertThat(checks).extracting(HalfCheckRequest::check).containsExactly(2);
    }

    private void waitForState(String group, String id, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!state(group, id).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(state(group, id)).isEqualTo(expected);
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        await(coordinator.sendHalf("g", "open", "t", 0, message("open")));
        await(coordinator.sendHalf("g", "rb", "t", 0, message("rb")));
        await(coordinator.sendHalf("g", "cm", "t", 0, message("cm")));
        await(coordinator.end("g", "rb", HalfOutcome.ROLLBACK));
        await(coordinator.end("g", "cm", HalfOutcome.COMMIT));

        restart(new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK));

        assertThat(state("g", "open")).isEqualTo("PREPARED");
        assertThat(state("g", "rb")).isEqualTo("ROLLED_BACK");
        assertThat(state("g", "cm")).isEqualTo("COMMITTED");
        assertThat(errorOf(coordinator.end("g", "rb", HalfOutcome.COMMIT))).isEqualTo(HalfError.ALREADY_DECIDED);
        await(coordinator.end("g", "open", HalfOutcome.COMMIT));
        assertThat(records(0)).hasSize(2).allSatisfy(r -> assertThat(r).doesNotStartWith("rb"));
        assertThat(records(0).get(1)).startsWith("open|");
    }

    @Test
    void aCommitInterruptedBeforeOrAfterTheAppendIsAppliedOnceAtStart() throws Exception {
        // after the append: committed fully, then a COMMITTING record as if COMMITTED had not been written
        await(coordinator.sendHalf("g", "after", "t", 0, message("after")));
        await(coordinator.end("g", "after", HalfOutcome.COMMIT));
        writeCommitting("g", "after", 0, "after", 0L);
        // before the append: only the COMMITTING record
        writeCommitting("g", "before", 0, "before", p(0).logEndOffset());

        restart(new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK));
        waitForState("g", "before", "COMMITTED");
        waitForState("g", "after", "COMMITTED");

        assertThat(records(0)).hasSize(2);
        assertThat(records(0).get(0)).startsWith("after|");
        assertThat(records(0).get(1)).startsWith("before|");

        restart(new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK));
        assertThat(state("g", "before")).isEqualTo("COMMITTED");
        assertThat(records(0)).hasSize(2);
    }

    @Test
    void theHalfTopicIsCompactedSoADecidedTransactionKeepsOnlyItsDecision() throws Exception {
        // Given a broker without a cleaner yet, so the size measured below is the size before any clean
        close();
        HalfTransactionConfig config = new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK);
        open(config, false);
        // and a first transaction, which creates the compacted topic; small segments so the cleaner has closed ones
        await(coordinator.sendHalf("g", "tx0", "t", 0, message("v0")));
        String topic = HalfTransactionCoordinator.TOPIC;
        assertThat(log.topic(topic).orElseThrow().configOverrides()).containsEntry("cleanup.policy", "compact");
        Map<String, String> small = new java.util.HashMap<>(HalfTransactionCoordinator.TOPIC_CONFIG);
        small.put("segment.bytes", "1024");
        small.put("min.cleanable.dirty.ratio", "0.01");
        log.alterTopicConfig(topic, small);

        // When 30 transactions are sent and decided: 60 records, each decided key's PREPARED one stale
        await(coordinator.end("g", "tx0", HalfOutcome.ROLLBACK));
        for (int i = 1; i < 30; i++) {
            await(coordinator.sendHalf("g", "tx" + i, "t", 0, message("v" + i)));
            await(coordinator.end("g", "tx" + i, i % 2 == 0 ? HalfOutcome.ROLLBACK : HalfOutcome.COMMIT));
        }
        // (the commits add a COMMITTING record each: 75 records in all)

        long written = log.topic(topic).orElseThrow().partition(0).sizeInBytes();

        // Then a cleaner, once started, drops the stale records, the messages with them, and every decision survives a
        // restart (start re-asserts the topic's own config, so the small segments and low dirty ratio go back on)
        close();
        open(config, true);
        log.alterTopicConfig(topic, small);
        PartitionLog half = log.topic(topic).orElseThrow().partition(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (half.sizeInBytes() > written * 3 / 4) {
            assertThat(System.nanoTime()).as("bytes left in %s: %d of %d", topic, half.sizeInBytes(), written)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        close();
        // (reopened without the cleaner, so counting the records does not race a clean)
        open(config, false);
        assertThat(countRecords(log.topic(topic).orElseThrow().partition(0))).isLessThan(75);
        for (int i = 0; i < 30; i++) {
            assertThat(state("g", "tx" + i)).isEqualTo(i % 2 == 0 ? "ROLLED_BACK" : "COMMITTED");
        }
        assertThat(errorOf(coordinator.end("g", "tx2", HalfOutcome.COMMIT))).isEqualTo(HalfError.ALREADY_DECIDED);
        assertThat(records(0)).hasSize(15);
    }

    @Test
    void aDecidedTransactionIsForgottenAfterTheRetentionWithATombstoneAndAnUndecidedOneIsKept() throws Exception {
        // Given a committed, a rolled-back and an undecided transaction
        await(coordinator.sendHalf("g", "a", "t", 0, message("a")));
        await(coordinator.sendHalf("g", "b", "t", 0, message("b")));
        await(coordinator.sendHalf("g", "c", "t", 0, message("c")));
        await(coordinator.end("g", "a", HalfOutcome.COMMIT));
        await(coordinator.end("g", "b", HalfOutcome.ROLLBACK));

        // When the broker restarts with decided transactions remembered for 200 ms only
        restart(new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK, 200));

        // Then the two decided ones are forgotten with a tombstone each, and the undecided one is kept
        PartitionLog half = log.topic(HalfTransactionCoordinator.TOPIC).orElseThrow().partition(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (countTombstones(half) < 2) {
            assertThat(System.nanoTime()).as("tombstones in %s", half).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(state("g", "a")).isEqualTo("UNKNOWN");
        assertThat(state("g", "b")).isEqualTo("UNKNOWN");
        assertThat(state("g", "c")).isEqualTo("PREPARED");
        assertThat(errorOf(coordinator.end("g", "b", HalfOutcome.COMMIT))).isEqualTo(HalfError.UNKNOWN_TRANSACTION);
        // and they stay forgotten after a restart with the default retention; the committed record stays in its target
        restart(new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK));
        assertThat(state("g", "a")).isEqualTo("UNKNOWN");
        assertThat(state("g", "b")).isEqualTo("UNKNOWN");
        assertThat(state("g", "c")).isEqualTo("PREPARED");
        assertThat(records(0)).containsExactly("a|h=hv|" + HalfTransactionCoordinator.ORIGIN_HEADER + "=g/a");
    }

    @Test
    void anOlderHalfTopicWithoutCompactionBecomesCompactedAtStart() throws Exception {
        await(coordinator.sendHalf("g", "a", "t", 0, message("a")));
        log.alterTopicConfig(HalfTransactionCoordinator.TOPIC, Map.of("cleanup.policy", "delete", "retention.ms", "-1"));

        restart(new HalfTransactionConfig(3_600_000, 3_600_000, 15, HalfOutcome.ROLLBACK));

        assertThat(log.topic(HalfTransactionCoordinator.TOPIC).orElseThrow().configOverrides())
                .containsEntry("cleanup.policy", "compact");
        assertThat(state("g", "a")).isEqualTo("PREPARED");
    }

    private static int countTombstones(PartitionLog partition) throws Exception {
        int[] count = {0};
        HalfTransactionCoordinator.forEachRecord(partition, partition.logStartOffset(), (o, ts, k, v, h) -> {
            if (v == null) {
                count[0]++;
            }
        });
        return count[0];
    }

    private static int countRecords(PartitionLog partition) throws Exception {
        int[] count = {0};
        HalfTransactionCoordinator.forEachRecord(partition, partition.logStartOffset(), (o, ts, k, v, h) -> count[0]++);
        return count[0];
    }

    private void writeCommitting(String group, String id, int partition, String value, long scanFrom) throws Exception {
        HalfTransaction txn = new HalfTransaction(group, id, "t", partition, 1L, HalfTransaction.State.COMMITTING,
                message(value));
        txn.scanFrom = scanFrom;
        ByteBuffer batch = new RecordBatchWriter(256).append(1L, HalfRecordCodec.key(group, id),
                HalfRecordCodec.encode(txn)).build();
        PartitionLog half = log.topic(HalfTransactionCoordinator.TOPIC).orElseThrow().partition(0);
        CompletableFuture<AppendError> done = new CompletableFuture<>();
        pipeline.offer(half, batch, result -> done.complete(result.error()));
        assertThat(await(done)).isEqualTo(AppendError.NONE);
    }
}
