package io.tributary.perf.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.perf.latency.LatencyRecorder;
import io.tributary.perf.latency.SendSchedule;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ProducerLoopTest {

    private static final long MS = 1_000_000L;

    private static ProducerLoop.Builder loop(FakeClock clock, FakeProducerDriver driver, LatencyRecorder rec) {
        return ProducerLoop.builder().driver(driver).clock(clock).idler(clock.idler()).recorder(rec)
                .keys(KeyDistribution.parse("none").newChooser(1)).payload(new Payload(32, 1)).startNs(0);
    }

    @Test
    void aStallAddsOneDelayedSamplePerSendThatWasDueDuringIt() {
        // Given 1,000 sends/s (one per ms) where send #100 stalls for 100 ms, all else instant
        FakeClock clock = new FakeClock();
        FakeProducerDriver driver = new FakeProducerDriver(clock, i -> i == 100 ? 100 * MS : 0, true);
        LatencyRecorder rec = new LatencyRecorder();
        // When 1,000 records are sent open loop
        loop(clock, driver, rec).schedule(SendSchedule.fixedRate(1_000, 0)).maxRecords(1_000).build().run();
        LatencyRecorder.Interval i = rec.takeInterval(null, null);
        Histogram corrected = i.corrected();
        Histogram uncorrected = i.uncorrected();
        // Then every record is measured; measured from the due time, the stalled send and the 99
        // sends due during the stall are late by 100, 99, ..., 1 ms
        assertThat(corrected.getTotalCount()).isEqualTo(1_000);
        assertThat(corrected.getCountBetweenValues(1, Long.MAX_VALUE)).isEqualTo(100);
        assertThat(corrected.getCountBetweenValues(50 * MS, Long.MAX_VALUE)).isEqualTo(51);
        assertThat(corrected.getMaxValue()).isEqualTo(corrected.highestEquivalentValue(100 * MS));
        assertThat(corrected.getMean() * 1_000).isCloseTo(5_050 * MS, org.assertj.core.data.Percentage.withPercentage(0.2));
        // while measured from the actual send only the stalled one is late
        assertThat(uncorrected.getCountBetweenValues(1, Long.MAX_VALUE)).isEqualTo(1);
        // and the loop caught up: the last send went out on time, at 999 ms
        assertThat(clock.nanoTime()).isEqualTo(999 * MS);
        assertThat(driver.flushes).isEqualTo(1);
    }

    @Test
    void matchesHdrHistogramsOwnCorrectionForTheSameStall() {
        // Given 10,000 sends/s (100 µs apart) and one stall of 25 ms at send #5,000
        long interval = 100_000;
        FakeClock clock = new FakeClock();
        FakeProducerDriver driver = new FakeProducerDriver(clock, i -> i == 5_000 ? 25 * MS : 0, true);
        LatencyRecorder rec = new LatencyRecorder();
        // When 20,000 records are sent open loop
        loop(clock, driver, rec).schedule(SendSchedule.fixedRate(10_000, 0)).maxRecords(20_000).build().run();
        LatencyRecorder.Interval i = rec.takeInterval(null, null);
        // Then the open-loop histogram has as many samples above each threshold as the closed-loop
        // one corrected after the fact by HdrHistogram (expected interval 100 µs): 25 ms / 100 µs = 250
        Histogram hdrCorrected = i.uncorrected().copyCorrectedForCoordinatedOmission(interval);
        assertThat(i.corrected().getCountBetweenValues(1, Long.MAX_VALUE)).isEqualTo(250);
        for (long threshold : new long[] {interval, MS, 10 * MS, 20 * MS}) {
            assertThat(i.corrected().getCountBetweenValues(threshold, Long.MAX_VALUE))
                    .as("samples >= %d ns", threshold)
                    .isEqualTo(hdrCorrected.getCountBetweenValues(threshold, Long.MAX_VALUE));
        }
    }

    @Test
    void warmUpSendsAreNotMeasured() {
        // Given 1,000 sends/s for 2 s with the first 500 ms as warm-up
        FakeClock clock = new FakeClock();
        FakeProducerDriver driver = new FakeProducerDriver(clock, i -> 0, true);
        LatencyRecorder rec = new LatencyRecorder();
        rec.measureFrom(500 * MS);
        // When run until the end time
        loop(clock, driver, rec).schedule(SendSchedule.fixedRate(1_000, 0)).endNs(2_000 * MS).build().run();
        // Then 2,000 are sent, 500 count as warm-up, 1,500 are measured
        assertThat(driver.sends).isEqualTo(2_000);
        assertThat(rec.warmupRecords()).isEqualTo(500);
        assertThat(rec.measuredRecords()).isEqualTo(1_500);
    }

    @Test
    void neverHasMoreThanMaxInFlightRecordsOutstanding() throws Exception {
        // Given a producer whose acks never come and room for 8 in flight
        FakeClock clock = new FakeClock();
        FakeProducerDriver driver = new FakeProducerDriver(clock, i -> 0, false);
        LatencyRecorder rec = new LatencyRecorder();
        ProducerLoop loop = loop(clock, driver, rec).schedule(SendSchedule.unthrottled()).maxRecords(100)
                .maxInFlight(8).build();
        Thread t = new Thread(loop);
        // When it runs
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (driver.sends < 8 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(50);
        // Then it stops at 8 sends, waiting for a free slot
        assertThat(driver.sends).isEqualTo(8);
        assertThat(t.isAlive()).isTrue();
        // and failures free their slots too, and are counted as errors
        loop.stop();
        driver.pending.get(0).fail();
        t.join(5_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(rec.errors()).isEqualTo(1);
        assertThat(loop.failure()).isNull();
    }

    @Test
    void stampsDueAndSentTimesIntoThePayloadForEndToEndRuns() {
        // Given a paced loop with stamping, where every send takes 1 ms
        FakeClock clock = new FakeClock();
        Payload payload = new Payload(16, 3);
        byte[][] seen = new byte[3][];
        FakeProducerDriver driver = new FakeProducerDriver(clock, i -> MS, true) {
            @Override
            public void send(byte[] key, byte[] value, io.tributary.perf.transport.SendSlot slot) {
                seen[(int) sends] = value.clone();
                super.send(key, value, slot);
            }
        };
        // When three records go at 500/s
        ProducerLoop.builder().driver(driver).clock(clock).idler(clock.idler()).recorder(new LatencyRecorder())
                .keys(KeyDistribution.parse("none").newChooser(1)).payload(payload).stamp(true).startNs(0)
                .schedule(SendSchedule.fixedRate(500, 0)).maxRecords(3).build().run();
        // Then each value carries its own due time (0, 2, 4 ms) and the time it was sent
        assertThat(Payload.dueNs(seen[2])).isEqualTo(4 * MS);
        assertThat(Payload.sentNs(seen[2])).isEqualTo(4 * MS);
        assertThat(Payload.dueNs(seen[1])).isEqualTo(2 * MS);
    }

    @Test
    void aTransactionalLoopCommitsEveryDurationAndTimesEachCommit() {
        // Given 1,000 sends/s, transactions of 100 ms and commits that take 0.5 ms
        FakeClock clock = new FakeClock();
        FakeProducerDriver driver = new FakeProducerDriver(clock, i -> 0, true);
        driver.commitCost = MS / 2;
        LatencyRecorder rec = new LatencyRecorder();
        LatencyRecorder commits = new LatencyRecorder();
        // When 1,050 records are sent open loop
        loop(clock, driver, rec).schedule(SendSchedule.fixedRate(1_000, 0)).maxRecords(1_050)
                .transactionNs(100 * MS).commits(commits).build().run();
        // Then every send went inside a transaction; the first is committed before send #100 (due at
        // 100 ms); each next one opens after the commit, at 100.5 ms, so it is 100 ms old at the send
        // due at 201 ms, and so on; the rest is committed at the end
        assertThat(driver.sendsOutsideTransaction).isZero();
        assertThat(driver.inTransaction).isFalse();
        assertThat(driver.sendsAtCommit).containsExactly(100L, 201L, 302L, 403L, 504L, 605L, 706L, 807L, 908L,
                1_009L, 1_050L);
        // and each commit's time is recorded, while every record is measured as before
        Histogram h = commits.takeInterval(null, null).corrected();
        assertThat(h.getTotalCount()).isEqualTo(11);
        assertThat(h.getMinValue()).isEqualTo(h.lowestEquivalentValue(MS / 2));
        assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(MS / 2));
        assertThat(rec.measuredRecords()).isEqualTo(1_050);
    }

    @Test
    void withoutATransactionDurationNoTransactionIsOpened() {
        // Given a loop without transactions
        FakeClock clock = new FakeClock();
        FakeProducerDriver driver = new FakeProducerDriver(clock, i -> 0, true);
        // When it sends
        loop(clock, driver, new LatencyRecorder()).schedule(SendSchedule.fixedRate(1_000, 0)).maxRecords(300)
                .build().run();
        // Then it never began or committed one
        assertThat(driver.inTransaction).isFalse();
        assertThat(driver.sendsAtCommit).isEmpty();
        assertThat(driver.sends).isEqualTo(300);
    }
}
