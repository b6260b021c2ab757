package io.tributary.log.internal;

import io.tributary.log.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks the closed segments of every partition once (decision 0018): each batch's header (magic
 * 2, a length inside the segment, base offsets rising, inside the segment's offsets and below the
 * next segment's base) and its CRC32C. A damaged range is recorded on its segment
 * ({@link LogSegment#markDamaged}, one ERROR line) and reads touching it then fail with
 * {@link io.tributary.log.CorruptRecordException}. A CRC mismatch in a batch whose header is
 * sound marks that batch alone and the scrub goes on; a broken header marks everything from there
 * to the segment end, since the batch boundaries after it are unknown. Every pass reads every closed
 * segment again (damage at rest comes later than the write); each segment remembers how far it was
 * verified at least once, and the read path trusts (jumps over with the index) only that part. Reads count against a
 * {@link Throttler} ({@code log.scrubber.bytes.per.second}). One thread at a time.
 */
final class SegmentScrubber {
    private final Supplier<? extends Iterable<DefaultTopic>> topics;
    private final Throttler throttler;
    private final RecordBatchHeader header = new RecordBatchHeader();
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bytesVerified;

    SegmentScrubber(Supplier<? extends Iterable<DefaultTopic>> topics, Throttler throttler) {
        this.topics = topics;
        this.throttler = throttler;
    }

    /** One pass over every partition's closed segments; returns the number of damaged ranges found. */
    int scrubAll() throws InterruptedException {
        int found = 0;
        for (DefaultTopic topic : topics.get()) {
            for (DefaultPartitionLog partition : topic.partitions()) {
                found += scrub(partition);
            }
        }
        return found;
    }

    /** Scrubs the closed segments of one partition; returns the number of damaged ranges found. */
    int scrub(DefaultPartitionLog partition) throws InterruptedException {
        List<LogSegment> segments = partition.segments();
        int found = 0;
        for (int i = 0; i + 1 < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            try {
                found += scrub(segment, segments.get(i + 1).baseOffset());
            } catch (IOException e) {
                // retired by retention or the cleaner while read: its replacement is scrubbed next pass
                if (!segment.isRetired()) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return found;
    }

    /** Bytes read and checked since this scrubber was made. */
    long bytesVerified() {
        return bytesVerified;
    }

    private int scrub(LogSegment segment, long nextBase) throws IOException, InterruptedException {
        long size = segment.size();
        long pos = 0;
        int found = 0;
        long previousLast = segment.baseOffset() - 1;
        long previousPos = -1;
        long lastGood = previousLast;
        while (pos < size) {
            if (isKnownDamaged(segment, pos)) {
                SegmentDamage d = damageAt(segment, pos);
                if (d.endPosition() >= size) {
                    break;
                }
            }
            String problem = null;
            ByteBuffer hdr = read(segment, pos, (int) Math.min(RecordBatchHeader.HEADER_SIZE, size - pos));
            int length = hdr.remaining() >= RecordBatchHeader.HEADER_SIZE ? hdr.getInt(RecordBatchHeader.LENGTH_OFFSET) : -1;
            long base = hdr.remaining() >= 8 ? hdr.getLong(RecordBatchHeader.BASE_OFFSET_OFFSET) : -1;
            if (hdr.remaining() < RecordBatchHeader.HEADER_SIZE) {
                problem = "incomplete batch header";
            } else if (hdr.get(RecordBatchHeader.MAGIC_OFFSET) != 2) {
                problem = "magic " + hdr.get(RecordBatchHeader.MAGIC_OFFSET);
            } else if (length < RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD
                    || pos + length + RecordBatchHeader.LOG_OVERHEAD > size) {
                problem = "batch length " + length;
            } else if (hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET) < 0
                    || base + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET) >= nextBase) {
                problem = "offsets " + base + "+" + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET)
                        + " reach the next segment's base offset " + nextBase;
            } else if (base < segment.baseOffset() || base <= previousLast) {
                problem = "base offset " + base + " not after the previous batch's last offset " + previousLast;
            }
            if (problem != null) {
                // the batch before may be the one whose base offset was hit: include it
                boolean fromPrevious = problem.startsWith("base offset") && previousPos >= 0;
                long from = fromPrevious ? previousPos : pos;
                if (segment.markDamaged(new SegmentDamage(from, size, (fromPrevious ? lastGood : previousLast) + 1,
                        Long.MAX_VALUE, "header: " + problem))) {
                    found++;
                }
                break;
            }
            int batchSize = length + RecordBatchHeader.LOG_OVERHEAD;
            ByteBuffer batch = read(segment, pos, batchSize);
            throttler.acquire(batchSize);
            bytesVerified += batchSize;
            header.wrap(batch, 0);
            long last = base + header.lastOffsetDelta();
            if (header.crc() != header.computeCrc()) {
                if (segment.markDamaged(new SegmentDamage(pos, pos + batchSize, base, last,
                        "CRC32C " + Long.toHexString(header.computeCrc()) + " != stored " + Long.toHexString(header.crc())))) {
                    found++;
                }
            }
            lastGood = previousLast;
            previousLast = last;
            previousPos = pos;
            pos += batchSize;
        }
        segment.verifiedPosition(Math.max(segment.verifiedPosition(), Math.min(pos, size)));
        return found;
    }

    private static boolean isKnownDamaged(LogSegment segment, long pos) {
        return damageAt(segment, pos) != null;
    }

    private static SegmentDamage damageAt(LogSegment segment, long pos) {
        for (SegmentDamage d : segment.damage()) {
            if (d.position() == pos) {
                return d;
            }
        }
        return null;
    }

    private ByteBuffer read(LogSegment segment, long pos, int bytes) throws IOException {
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(Math.max(bytes, buffer.capacity() * 2));
        }
        buffer.clear().limit(bytes);
        FileIo.readFully(segment.channel(), buffer, pos);
        buffer.flip();
        return buffer;
    }
}
