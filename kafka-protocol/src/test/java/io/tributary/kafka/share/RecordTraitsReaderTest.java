package io.tributary.kafka.share;

import io.tributary.delivery.share.RecordTraits;
import io.tributary.log.LogSlice;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RecordTraitsReaderTest {
    private static final long TIMESTAMP = 1_000_000;

    @TempDir
    Path dir;
    private final List<FileChannel> channels = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeChannels() throws IOException {
        for (FileChannel channel : channels) {
            channel.close();
        }
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static SimpleRecord record(String key, Header... headers) {
        return new SimpleRecord(TIMESTAMP, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8), headers);
    }

    @Test
    void headersOfPlainAndCompressedBatchesBecomeTraitsAndOnlyNonDefaultRecordsAreListed() throws IOException {
        // Given a plain batch at 0..2 and a gzip batch at 3..5
        MemoryRecords plain = MemoryRecords.withRecords(0L, Compression.NONE,
                record(null, header("tributary.deliver.at", "5000")),
                record(null),
                record(null, header("tributary.delay.ms", "250"), header("other", "x")));
        MemoryRecords compressed = MemoryRecords.withRecords(3L, Compression.gzip().build(),
                record(null, header("tributary.expire.at", "7000"), header("tributary.priority", "12")),
                record(null, header("tributary.priority", "not-a-number")),
                record(null, header("tributary.priority", "0")));
        List<LogSlice> slices = List.of(slice(plain, compressed));

        // When the traits of 0..5 are read
        RecordTraits traits = RecordTraitsReader.read(slices, 0, 5, false);

        // Then 0, 2, 3 and 5 are listed; 1 and 4 have the defaults
        assertThat(traits.size()).isEqualTo(4);
        assertThat(traits.offset(0)).isEqualTo(0);
        assertThat(traits.deliverAt(0)).isEqualTo(5000);
        assertThat(traits.offset(1)).isEqualTo(2);
        assertThat(traits.deliverAt(1)).isEqualTo(TIMESTAMP + 250);
        assertThat(traits.offset(2)).isEqualTo(3);
        assertThat(traits.expireAt(2)).isEqualTo(7000);
        assertThat(traits.priority(2)).isEqualTo(RecordTraits.MAX_PRIORITY);
        assertThat(traits.offset(3)).isEqualTo(5);
        assertThat(traits.priority(3)).isZero();
    }

    @Test
    void oneDecodingGivesTheTraitsFromWhereTheWindowStoppedAndTheSelectorOverTheWholeRead() throws Exception {
        // Given records at 20..23 written as a JMS producer writes them
        MemoryRecords batch = MemoryRecords.withRecords(20L, Compression.NONE,
                record(null, header("count", "7"), header("jms.property.types", "count:integer")),
                record(null, header("count", "7")),
                record(null, header("count", "9"), header("jms.property.types", "count:integer"),
                        header("tributary.priority", "8")),
                record(null, header("jms.type", "order"), header("jms.priority", "9")));
        List<LogSlice> slices = List.of(slice(batch));
        SelectedOffsets integers = new SelectedOffsets(io.tributary.jms.selector.Selector.parse("count > 5"), false,
                "t", 0, 20, 23, 5);
        SelectedOffsets orders = new SelectedOffsets(io.tributary.jms.selector.Selector.parse(
                "JMSType = 'order' AND JMSPriority = 9 AND JMSMessageID = 'ID:t-0-23'"), true, "t", 0, 20, 23, 5);

        // When 20..23 are read with traits from 22 on
        RecordTraits traits = RecordTraitsReader.read(slices, 20, 23, 22, false, integers);
        RecordTraitsReader.read(slices, 20, 23, 24, false, orders);

        // Then the selector saw every record (21's count is a String: no number comparison), the traits only 22 on
        assertThat(List.of(integers.accepts(20), integers.accepts(21), integers.accepts(22), integers.accepts(23)))
                .containsExactly(true, false, true, false);
        assertThat(List.of(orders.accepts(22), orders.accepts(23), orders.accepts(24))).containsExactly(false, true,
                false);
        assertThat(orders.archivesRefused()).isTrue();
        assertThat(traits.size()).isEqualTo(1);
        assertThat(traits.offset(0)).isEqualTo(22);
    }

    @Test
    void aSelectorOnTheDeliveryCountIsEvaluatedForEachCountTheRecordCanHave() throws Exception {
        // Given records at 0..1, one of them red, and a selector on the delivery count within a limit of 4
        MemoryRecords batch = MemoryRecords.withRecords(0L, Compression.NONE, record(null, header("color", "red")),
                record(null, header("color", "blue")));
        List<LogSlice> slices = List.of(slice(batch));
        SelectedOffsets retried = new SelectedOffsets(io.tributary.jms.selector.Selector.parse(
                "JMSXDeliveryCount > 1 AND JMSXDeliveryCount <= 3 OR color = 'red'"), false, "t", 0, 0, 1, 4);

        // When 0..1 are read
        RecordTraitsReader.read(slices, 0, 1, 2, false, retried);

        // Then red is accepted whatever its count, blue on its second and third delivery only
        assertThat(List.of(retried.accepts(0, 1), retried.accepts(0, 4), retried.accepts(0))).containsOnly(true);
        assertThat(List.of(retried.accepts(1), retried.accepts(1, 1), retried.accepts(1, 2), retried.accepts(1, 3),
                retried.accepts(1, 4), retried.accepts(1, 5))).containsExactly(false, false, true, true, false, false);
    }

    @Test
    void aMessageSentWithoutIdAndTimestampHasNoneForTheSelector() throws Exception {
        // Given a record whose JMS producer disabled message IDs and timestamps, and a plain Kafka record
        MemoryRecords batch = MemoryRecords.withRecords(0L, Compression.NONE,
                record(null, new RecordHeader("jms.message.id", null), header("jms.timestamp", "0")), record(null));
        SelectedOffsets bare = new SelectedOffsets(io.tributary.jms.selector.Selector.parse(
                "JMSMessageID IS NULL AND JMSTimestamp = 0"), false, "t", 0, 0, 1, 5);

        // When they are read
        RecordTraitsReader.read(List.of(slice(batch)), 0, 1, 2, false, bare);

        // Then only the first has neither (the Kafka record has its offset's ID and its timestamp)
        assertThat(List.of(bare.accepts(0), bare.accepts(1))).containsExactly(true, false);
    }

    @Test
    void onlyOffsetsInTheRangeAreReadAndKeysOnlyWhenAsked() throws IOException {
        MemoryRecords batch = MemoryRecords.withRecords(10L, Compression.NONE, record("a"), record("b"),
                record(null), record("a"));
        List<LogSlice> slices = List.of(slice(batch));

        assertThat(RecordTraitsReader.read(slices, 10, 13, false).size()).isZero();
        RecordTraits keyed = RecordTraitsReader.read(slices, 11, 13, true);

        assertThat(keyed.size()).isEqualTo(2);
        assertThat(keyed.offset(0)).isEqualTo(11);
        assertThat(keyed.offset(1)).isEqualTo(13);
        assertThat(keyed.keyed(1)).isTrue();
        assertThat(keyed.keyHash(1)).isNotEqualTo(keyed.keyHash(0));
    }

    @Test
    void aKeyHasOneHashInPlainAndCompressedBatchesAndLogAppendTimeDelaysFromTheBatchTime() throws IOException {
        // Given key "k" in a plain batch at 0..1 (the second record delayed) and in a gzip batch at 2
        MemoryRecords plain = MemoryRecords.withRecords(0L, Compression.NONE, record("k"),
                record(null, header("tributary.delay.ms", "100")));
        MemoryRecords compressed = MemoryRecords.withRecords(2L, Compression.gzip().build(), record("k"));
        List<LogSlice> slices = List.of(slice(plain, compressed));

        RecordTraits traits = RecordTraitsReader.read(slices, 0, 2, true);

        assertThat(traits.size()).isEqualTo(3);
        assertThat(traits.keyed(0)).isTrue();
        assertThat(traits.keyed(1)).isFalse();
        assertThat(traits.keyHash(2)).isEqualTo(traits.keyHash(0));
        assertThat(traits.deliverAt(1)).isEqualTo(TIMESTAMP + 100);

        // And a batch stamped with log-append time delays from that time, not the record's own
        ByteBuffer stamped = MemoryRecords.withRecords(5L, Compression.NONE,
                record(null, header("tributary.delay.ms", "100"))).buffer().duplicate();
        new io.tributary.log.RecordBatchHeader().wrap(stamped, 0).stampLogAppendTime(5_000_000);
        RecordTraits appendTime = RecordTraitsReader.read(List.of(slice(MemoryRecords.readableRecords(stamped))), 5,
                5, false);
        assertThat(appendTime.deliverAt(0)).isEqualTo(5_000_100);
    }

    @Test
    void batchesBeforeTheRangeAreSkippedAndTheRangeMayStartInsideASlice() throws IOException {
        MemoryRecords early = MemoryRecords.withRecords(0L, Compression.NONE,
                record(null, header("tributary.priority", "9")), record(null, header("tributary.priority", "8")));
        MemoryRecords late = MemoryRecords.withRecords(2L, Compression.NONE,
                record(null, header("tributary.priority", "7")), record(null, header("x", "1")),
                record(null, header("tributary.priority", "1")));
        List<LogSlice> slices = List.of(slice(early, late));

        RecordTraits traits = RecordTraitsReader.read(slices, 1, 3, false);

        assertThat(traits.size()).isEqualTo(2);
        assertThat(traits.offset(0)).isEqualTo(1);
        assertThat(traits.priority(0)).isEqualTo(8);
        assertThat(traits.offset(1)).isEqualTo(2);
        assertThat(traits.priority(1)).isEqualTo(7);
    }

    private LogSlice slice(MemoryRecords... batches) throws IOException {
        Path file = dir.resolve("segment-" + System.nanoTime());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        channels.add(channel);
        int size = 0;
        for (MemoryRecords records : batches) {
            ByteBuffer buffer = records.buffer().duplicate();
            size += buffer.remaining();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        long first = batches[0].batches().iterator().next().baseOffset();
        long last = -1;
        for (MemoryRecords records : batches) {
            for (var batch : records.batches()) {
                last = batch.lastOffset();
            }
        }
        return new LogSlice(channel, 0, size, first, last);
    }
}
