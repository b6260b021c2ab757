package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.FileRegion;
import io.tributary.log.LogSlice;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fetch responses with records still on disk, at every Fetch version, read back by kafka-clients. */
@Timeout(10)
class ResponseEncoderTest {
    private static final int GAP = 100;

    @TempDir
    Path dir;
    private FileChannel file;
    private MemoryRecords first;
    private MemoryRecords second;

    @BeforeEach
    void writeSegment() throws Exception {
        first = MemoryRecords.withRecords(0L, Compression.NONE, new SimpleRecord(1L, "k0".getBytes(), "v0".getBytes()));
        second = MemoryRecords.withRecords(1L, Compression.NONE, new SimpleRecord(2L, "k1".getBytes(), "v1".getBytes()));
        file = FileChannel.open(dir.resolve("segment.log"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        file.write(ByteBuffer.allocate(GAP));
        file.write(first.buffer());
        file.write(second.buffer());
    }

    @AfterEach
    void closeSegment() throws Exception {
        file.close();
    }

    @Test
    void fetchResponseIsBuffersAroundAFileRegionAtEveryVersion() throws Exception {
        for (short v = 4; v <= ApiKeys.FETCH.latestVersion(); v++) {
            // Given a fetch response whose records are two slices of a segment file
            LogSlice a = new LogSlice(file, GAP, first.sizeInBytes(), 0, 0);
            LogSlice b = new LogSlice(file, GAP + first.sizeInBytes(), second.sizeInBytes(), 1, 1);
            FetchResponseData response = new FetchResponseData().setSessionId(0);
            FetchableTopicResponse topic = new FetchableTopicResponse().setTopic("t");
            topic.partitions().add(new PartitionData().setPartitionIndex(0).setHighWatermark(2).setLastStableOffset(2)
                    .setRecords(new LogSliceRecords(List.of(a, b))));
            response.responses().add(topic);

            // When it is encoded
            List<Object> parts = ResponseEncoder.encode(PooledByteBufAllocator.DEFAULT, 5,
                    ApiKeys.FETCH.responseHeaderVersion(v), response, v);

            // Then it is buffer, two file regions, and (flexible versions: tagged fields) a buffer
            List<Class<?>> kinds = parts.stream().<Class<?>>map(p -> p instanceof ByteBuf ? ByteBuf.class : FileRegion.class)
                    .toList();
            ByteBuffer frame = ByteBuffer.wrap(drain(parts));
            assertThat(kinds).as("v%d", v).isEqualTo(v >= 12
                    ? List.of(ByteBuf.class, FileRegion.class, FileRegion.class, ByteBuf.class)
                    : List.of(ByteBuf.class, FileRegion.class, FileRegion.class));

            // And kafka-clients reads it back
            assertThat(frame.getInt()).isEqualTo(frame.remaining());
            assertThat(ResponseHeader.parse(frame, ApiKeys.FETCH.responseHeaderVersion(v)).correlationId()).isEqualTo(5);
            FetchResponseData parsed = (FetchResponseData) AbstractResponse.parseResponse(ApiKeys.FETCH,
                    new ByteBufferAccessor(frame), v).data();
            MemoryRecords records = (MemoryRecords) parsed.responses().get(0).partitions().get(0).records();
            ByteBuffer expected = ByteBuffer.allocate(first.sizeInBytes() + second.sizeInBytes());
            expected.put(first.buffer()).put(second.buffer()).flip();
            assertThat(records.buffer()).as("v%d", v).isEqualTo(expected);
            assertThat(frame.remaining()).isZero();

            // And releasing the regions leaves core-log's file open
            assertThat(file.isOpen()).isTrue();
        }
    }

    @Test
    void abandonedResponseReleasesEverything() {
        FetchResponseData response = new FetchResponseData();
        FetchableTopicResponse topic = new FetchableTopicResponse().setTopic("t");
        topic.partitions().add(new PartitionData().setRecords(
                new LogSliceRecords(List.of(new LogSlice(file, GAP, first.sizeInBytes(), 0, 0)))));
        response.responses().add(topic);
        List<Object> parts = ResponseEncoder.encode(PooledByteBufAllocator.DEFAULT, 1, (short) 1, response, (short) 16);

        for (Object part : parts) {
            io.netty.util.ReferenceCountUtil.release(part);
        }

        for (Object part : parts) {
            assertThat(((io.netty.util.ReferenceCounted) part).refCnt()).isZero();
        }
        assertThat(file.isOpen()).isTrue();
    }

    private static byte[] drain(List<Object> parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        for (Object part : parts) {
            if (part instanceof ByteBuf buf) {
                buf.readBytes(out, buf.readableBytes());
                buf.release();
            } else {
                FileRegion region = (FileRegion) part;
                long done = 0;
                while (done < region.count()) {
                    done += region.transferTo(sink, done);
                }
                region.release();
                assertThat(region.refCnt()).isZero();
            }
        }
        return out.toByteArray();
    }
}
