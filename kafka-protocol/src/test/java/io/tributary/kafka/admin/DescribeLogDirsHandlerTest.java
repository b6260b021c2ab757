package io.tributary.kafka.admin;

import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopicCollection;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class DescribeLogDirsHandlerTest {
    private static final Executor INLINE = Runnable::run;

    @TempDir
    Path dir;
    LogManager log;
    DescribeLogDirsHandler handler;

    @BeforeEach
    void open() throws Exception {
        // a log with topic "a" (2 partitions, 3 records in partition 1) and topic "b" (1 empty partition)
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        PartitionLog a1 = log.createTopic("a", 2, Map.of()).partition(1);
        a1.append(MemoryRecords.withRecords(0L, Compression.NONE, new SimpleRecord("x".getBytes()),
                new SimpleRecord("y".getBytes()), new SimpleRecord("z".getBytes())).buffer());
        a1.highWatermark(a1.logEndOffset());
        log.createTopic("b", 1, Map.of());
        handler = new DescribeLogDirsHandler(log, INLINE);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void nullTopicsListsEveryPartitionWithItsSize() {
        // When all topics are asked for
        DescribeLogDirsResponseData response = handler.describe(new DescribeLogDirsRequestData().setTopics(null));

        // Then the one directory lists a-0, a-1 and b-0 with their sizes, lag 0, not future, and its volume
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeLogDirsResult result = response.results().get(0);
        assertThat(response.results()).hasSize(1);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.logDir()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(partitions(result)).containsExactly("a-0 size=0 lag=0 future=false",
                "a-1 size=" + log.topic("a").orElseThrow().partition(1).sizeInBytes() + " lag=0 future=false",
                "b-0 size=0 lag=0 future=false");
        assertThat(log.topic("a").orElseThrow().partition(1).sizeInBytes()).isPositive();
        assertThat(result.totalBytes()).isPositive();
        assertThat(result.usableBytes()).isBetween(0L, result.totalBytes());
        assertThat(result.isCordoned()).isFalse();
    }

    @Test
    void requestedPartitionsOnlyAndUnknownOnesLeftOut() {
        // Given a request for a-1, a-7, b (no partitions) and an unknown topic
        DescribableLogDirTopicCollection topics = new DescribableLogDirTopicCollection();
        topics.add(new DescribableLogDirTopic().setTopic("a").setPartitions(List.of(1, 7)));
        topics.add(new DescribableLogDirTopic().setTopic("b").setPartitions(List.of()));
        topics.add(new DescribableLogDirTopic().setTopic("missing").setPartitions(List.of(0)));

        // When it is answered
        DescribeLogDirsResponseData response = handler.describe(new DescribeLogDirsRequestData().setTopics(topics));

        // Then only a-1 is listed, without an error, and b (left with no partition) is absent
        assertThat(response.results()).singleElement().satisfies(result -> {
            assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(result.topics()).extracting(DescribeLogDirsResponseData.DescribeLogDirsTopic::name)
                    .containsExactly("a");
            assertThat(partitions(result)).singleElement().asString().startsWith("a-1 ");
        });
    }

    @Test
    void emptyTopicListListsTheDirectoryWithNoPartitions() {
        DescribeLogDirsResponseData response = handler.describe(new DescribeLogDirsRequestData());

        assertThat(response.results()).singleElement().satisfies(result -> {
            assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(result.topics()).isEmpty();
        });
    }

    @Test
    void answerEncodesAtEveryAdvertisedVersion() {
        // Given the answer for all topics
        DescribeLogDirsResponseData response = handler.describe(new DescribeLogDirsRequestData().setTopics(null));

        for (short v = 1; v <= 5; v++) {
            // When it is written and read back at version v
            ObjectSerializationCache cache = new ObjectSerializationCache();
            ByteBuffer buffer = ByteBuffer.allocate(response.size(cache, v));
            response.write(new ByteBufferAccessor(buffer), cache, v);
            buffer.flip();
            DescribeLogDirsResponseData read = new DescribeLogDirsResponseData(new ByteBufferAccessor(buffer), v);

            // Then the partitions survive, and the volume's bytes from v4 on (-1, the default, before)
            assertThat(partitions(read.results().get(0))).as("v%d", v).hasSize(3);
            assertThat(read.results().get(0).totalBytes()).as("v%d", v)
                    .isEqualTo(v >= 4 ? response.results().get(0).totalBytes() : -1L);
        }
        assertThat(ApiKeys.DESCRIBE_LOG_DIRS.latestVersion()).as("a newer version needs a look at its fields")
                .isEqualTo((short) 5);
    }

    /** {@code <topic>-<partition> size=<bytes> lag=<lag> future=<flag>} per listed partition, in answer order. */
    private static List<String> partitions(DescribeLogDirsResult result) {
        return result.topics().stream().flatMap(t -> t.partitions().stream().map(p -> describe(t.name(), p))).toList();
    }

    private static String describe(String topic, DescribeLogDirsPartition p) {
        return topic + "-" + p.partitionIndex() + " size=" + p.partitionSize() + " lag=" + p.offsetLag()
                + " future=" + p.isFutureKey();
    }
}
