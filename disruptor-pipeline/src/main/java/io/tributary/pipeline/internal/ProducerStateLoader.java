package io.tributary.pipeline.internal;

import io.tributary.log.BatchVisitor;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.pipeline.internal.ProducerStateSnapshot.UnreadableSnapshotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Rebuilds a partition's producer state, from its {@link ProducerStateSnapshot} when one can be
 * trusted, else by scanning every batch from the log start.
 *
 * <p>A snapshot covering the log up to offset {@code S} is trusted when it reads back whole (magic,
 * version, length, CRC), {@code logStartOffset <= S <= logEndOffset}, and the stored batch ending at
 * {@code S - 1} has the base offset and CRC the snapshot recorded (or, for a snapshot of an empty
 * log, {@code S} is the log start). Then only the batches from {@code S} on are read. Recovery only
 * ever cuts a log's tail, so a log that still reaches {@code S} holds the very batches the snapshot
 * was taken over. Otherwise the snapshot is deleted, one line says why, and the whole partition is
 * scanned.
 *
 * <p>Either way the cached batches below the log start are dropped, as a scan from the log start
 * would never have seen them. Producers restored from a snapshot keep the last activity time they
 * had, so {@code producer.id.expiration.ms} counts across the restart; producers met in the scanned
 * batches count as active at load time, as they always have.
 *
 * <p>Counts what it did for the start-up log line. Used by one thread at a time.
 */
final class ProducerStateLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateLoader.class);

    private final ProducerSnapshotFiles files;
    private int partitionsFromSnapshot;
    private int partitionsScanned;
    private long batchesRead;

    ProducerStateLoader(ProducerSnapshotFiles files) {
        this.files = files;
    }

    /** The partition's producer state as of its current log end offset. */
    ProducerStateSnapshot load(PartitionLog log, long nowMs) throws IOException {
        Optional<ByteBuffer> bytes = files.read(log.topic(), log.partition());
        if (bytes.isPresent()) {
            String rejected;
            try {
                ProducerStateSnapshot snapshot = ProducerStateSnapshot.decode(bytes.get(), nowMs);
                rejected = whyNotTrusted(snapshot, log);
                if (rejected == null) {
                    Replay replay = new Replay(snapshot.producers(), nowMs, snapshot.lastBatchBaseOffset(),
                            snapshot.lastBatchCrc(), snapshot.logEndOffset());
                    log.scanBatches(replay.first(), replay);
                    batchesRead += replay.batches;
                    ProducerStateSnapshot state = replay.stateAt(log.logEndOffset());
                    rejected = replay.mismatch;
                    if (rejected == null) {
                        partitionsFromSnapshot++;
                        state.producers().forgetBefore(log.logStartOffset());
                        return state;
                    }
                }
            } catch (UnreadableSnapshotException e) {
                rejected = e.getMessage();
            }
            LOG.warn("Ignoring the producer-state snapshot of {}-{} ({}); scanning the partition from offset {}",
                    log.topic(), log.partition(), rejected, log.logStartOffset());
            files.delete(log.topic(), log.partition());
        } else if (log.logEndOffset() > log.logStartOffset()) {
            // DEBUG: after an upgrade every partition lacks one; the summary line at start counts them.
            LOG.debug("No producer-state snapshot of {}-{}; scanning the partition from offset {}",
                    log.topic(), log.partition(), log.logStartOffset());
        }
        partitionsScanned++;
        Replay replay = new Replay(new ProducerStateTable(), nowMs, ProducerStateSnapshot.NO_BATCH, 0,
                log.logStartOffset());
        log.scanBatches(log.logStartOffset(), replay);
        batchesRead += replay.batches;
        return replay.stateAt(log.logEndOffset());
    }

    /** Partitions loaded from a snapshot so far. */
    int partitionsFromSnapshot() {
        return partitionsFromSnapshot;
    }

    /** Partitions loaded by scanning them from the log start so far. */
    int partitionsScanned() {
        return partitionsScanned;
    }

    /** Batch headers read so far, both kinds of load together. */
    long batchesRead() {
        return batchesRead;
    }

    private static String whyNotTrusted(ProducerStateSnapshot snapshot, PartitionLog log) {
        long covered = snapshot.logEndOffset();
        if (covered > log.logEndOffset()) {
            return "it covers up to offset " + covered + " but the log ends at " + log.logEndOffset()
                    + ": its tail was cut";
        }
        if (covered < log.logStartOffset()) {
            return "it covers up to offset " + covered + " but the log starts at " + log.logStartOffset();
        }
        if (snapshot.lastBatchBaseOffset() == ProducerStateSnapshot.NO_BATCH && covered != log.logStartOffset()) {
            return "it was taken of an empty log ending at " + covered + " but the log starts at "
                    + log.logStartOffset();
        }
        return null;
    }

    /**
     * Replays scanned batches into a table, remembering the last one. With an expected batch, the
     * first batch met must be that one (else {@link #mismatch} says why and the rest is ignored)
     * and is not replayed: the snapshot already holds it.
     */
    private static final class Replay implements BatchVisitor {
        private final ProducerStateTable table;
        private final long nowMs;
        private final long expectedBase;
        private final int expectedCrc;
        private final long expectedEnd;
        private boolean checked;
        String mismatch;
        long batches;
        private long lastBase;
        private int lastCrc;

        Replay(ProducerStateTable table, long nowMs, long expectedBase, int expectedCrc, long from) {
            this.table = table;
            this.nowMs = nowMs;
            this.expectedBase = expectedBase;
            this.expectedCrc = expectedCrc;
            this.expectedEnd = from;
            this.checked = expectedBase == ProducerStateSnapshot.NO_BATCH;
            this.lastBase = expectedBase;
            this.lastCrc = expectedCrc;
        }

        /** Where the scan starts: at the expected batch, else where the state ends. */
        long first() {
            return checked ? expectedEnd : expectedBase;
        }

        @Override
        public void visit(RecordBatchHeader header) {
            if (mismatch != null) {
                return;
            }
            batches++;
            if (!checked) {
                checked = true;
                if (header.baseOffset() != expectedBase || header.lastOffset() != expectedEnd - 1
                        || (int) header.crc() != expectedCrc) {
                    mismatch = "the log's batch at offset " + header.baseOffset() + " is not the batch "
                            + expectedBase + ".." + (expectedEnd - 1) + " it was taken after";
                }
                return;
            }
            table.replay(header, nowMs);
            lastBase = header.baseOffset();
            lastCrc = (int) header.crc();
        }

        /** The replayed state, once the scan reached {@code logEndOffset}. */
        ProducerStateSnapshot stateAt(long logEndOffset) {
            if (!checked && mismatch == null) {
                mismatch = "the log has no batch at offset " + expectedBase;
            }
            return new ProducerStateSnapshot(logEndOffset, lastBase, lastCrc, table);
        }
    }
}
