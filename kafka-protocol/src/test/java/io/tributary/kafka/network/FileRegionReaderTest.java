package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.log.LogSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FileRegionReaderTest {
    @TempDir
    Path dir;

    @Test
    void aSegmentSliceBecomesOneBufferOfExactlyItsBytes() throws Exception {
        // Given a segment file and a slice in its middle, larger than a TLS record
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("00000000000000000000.log"), content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            EmbeddedChannel ch = new EmbeddedChannel(new FileRegionReader());

            // When the slice is written through the reader
            ch.writeOutbound(new SliceFileRegion(new LogSlice(channel, 1_000, 250_000, 0, 0)));

            // Then one buffer with the slice's bytes comes out
            ByteBuf out = ch.readOutbound();
            try {
                assertThat(out.readableBytes()).isEqualTo(250_000);
                byte[] expected = Arrays.copyOfRange(content, 1_000, 251_000);
                byte[] actual = new byte[250_000];
                out.readBytes(actual);
                assertThat(actual).isEqualTo(expected);
            } finally {
                out.release();
            }
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void aSliceBeyondTheEndOfItsFileFailsTheWriteAndClosesTheConnection() throws Exception {
        // Given a slice that reaches past the end of a file shortened under the fetch
        Path file = Files.write(dir.resolve("00000000000000000001.log"), new byte[1_000]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            EmbeddedChannel ch = new EmbeddedChannel(new FileRegionReader());

            // When it is written
            var future = ch.writeOneOutbound(new SliceFileRegion(new LogSlice(channel, 500, 1_000, 0, 0)));

            // Then the write fails and the connection is closed, nothing half-written
            assertThat(future.isSuccess()).isFalse();
            assertThat(ch.isOpen()).isFalse();
            assertThat((Object) ch.readOutbound()).isNull();
        }
    }
}
