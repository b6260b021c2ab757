package io.tributary.log;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Decompresses and compresses the records section of a v2 record batch (the bytes after its
 * 61-byte header) for the codecs of a batch's attributes, as kafka-clients writes and reads them:
 * 1 gzip (JDK streams), 2 snappy (snappy-java's stream framing, {@link SnappyOutputStream}),
 * 3 lz4 (the LZ4 frame format with independent 64 KiB blocks and no checksums but the header's,
 * the framing of Kafka's magic 2 batches), 4 zstd (zstd-jni frames). Knows nothing of the Kafka
 * protocol; the libraries are those of kafka-clients, at its versions.
 *
 * <p>Stateless and thread-safe.
 */
public final class BatchCompression {
    public static final int NONE = 0;
    public static final int GZIP = 1;
    public static final int SNAPPY = 2;
    public static final int LZ4 = 3;
    public static final int ZSTD = 4;

    private static final int LZ4_MAGIC = 0x184D2204;
    private static final int LZ4_BLOCK_SIZE = 64 * 1024;
    /** FLG: version 01, independent blocks, no block checksum, no content size, no content checksum. */
    private static final byte LZ4_FLG = 0x60;
    /** BD: 64 KiB maximum block size. */
    private static final byte LZ4_BD = 0x40;
    private static final int LZ4_UNCOMPRESSED_FLAG = 0x80000000;
    private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();
    /** zstd's default level, Kafka's compression.zstd.level default. */
    private static final int ZSTD_LEVEL = 3;

    private BatchCompression() {
    }

    /**
     * The uncompressed records of {@code length} compressed bytes from {@code offset} of {@code src}.
     *
     * @throws IllegalArgumentException for a codec other than 1 to 4
     * @throws UncheckedIOException     if the bytes are not valid for the codec
     */
    public static byte[] decompress(int codec, byte[] src, int offset, int length) {
        ByteArrayInputStream in = new ByteArrayInputStream(src, offset, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length * 2));
        try (InputStream stream = inputStream(codec, in)) {
            stream.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decompress a batch of codec " + codec, e);
        }
        return out.toByteArray();
    }

    /** {@code length} uncompressed record bytes from {@code offset} of {@code src}, compressed with {@code codec}. */
    public static byte[] compress(int codec, byte[] src, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2));
        try {
            switch (codec) {
                case GZIP -> {
                    try (OutputStream stream = new GZIPOutputStream(out, 8 * 1024)) {
                        stream.write(src, offset, length);
                    }
                }
                case SNAPPY -> {
                    try (OutputStream stream = new SnappyOutputStream(out)) {
                        stream.write(src, offset, length);
                    }
                }
                case LZ4 -> writeLz4Frame(src, offset, length, out);
                case ZSTD -> {
                    try (OutputStream stream = new ZstdOutputStreamNoFinalizer(out, ZSTD_LEVEL)) {
                        stream.write(src, offset, length);
                    }
                }
                default -> throw new IllegalArgumentException("Unknown compression codec " + codec);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot compress with codec " + codec, e);
        }
        return out.toByteArray();
    }

    private static InputStream inputStream(int codec, InputStream in) throws IOException {
        return switch (codec) {
            case GZIP -> new GZIPInputStream(in, 8 * 1024);
            case SNAPPY -> new SnappyInputStream(in);
            case LZ4 -> new LZ4FrameInputStream(in);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
            default -> throw new IllegalArgumentException("Unknown compression codec " + codec);
        };
    }

    /** One LZ4 frame: magic, FLG, BD, header checksum, blocks (stored raw when compression does not pay), end mark. */
    private static void writeLz4Frame(byte[] src, int offset, int length, ByteArrayOutputStream out) {
        writeIntLe(out, LZ4_MAGIC);
        byte[] descriptor = {LZ4_FLG, LZ4_BD};
        out.write(descriptor, 0, 2);
        out.write((XXHASH.hash(descriptor, 0, 2, 0) >> 8) & 0xFF);
        byte[] block = new byte[LZ4_COMPRESSOR.maxCompressedLength(LZ4_BLOCK_SIZE)];
        for (int p = offset; p < offset + length; p += LZ4_BLOCK_SIZE) {
            int size = Math.min(LZ4_BLOCK_SIZE, offset + length - p);
            int compressed = LZ4_COMPRESSOR.compress(src, p, size, block, 0, block.length);
            if (compressed >= size) {
                writeIntLe(out, size | LZ4_UNCOMPRESSED_FLAG);
                out.write(src, p, size);
            } else {
                writeIntLe(out, compressed);
                out.write(block, 0, compressed);
            }
        }
        writeIntLe(out, 0);
    }

    private static void writeIntLe(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
