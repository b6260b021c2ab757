package io.tributary.log.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetMapTest {
    private static ByteBuffer key(String text) {
        byte[] bytes = ("xx" + text).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.wrap(bytes);
    }

    private static void put(OffsetMap map, String key, long offset) {
        ByteBuffer b = key(key);
        map.put(b, 2, b.limit() - 2, offset);
    }

    private static long get(OffsetMap map, String key) {
        ByteBuffer b = key(key);
        return map.get(b, 2, b.limit() - 2);
    }

    @Test
    void keepsTheLatestOffsetPerKeyAcrossGrowth() {
        OffsetMap map = new OffsetMap(10L << 20);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 50_000; k++) {
                put(map, "key" + k, round * 50_000L + k);
            }
        }

        assertThat(map.size()).isEqualTo(50_000);
        assertThat(get(map, "key0")).isEqualTo(100_000);
        assertThat(get(map, "key49999")).isEqualTo(149_999);
        assertThat(get(map, "absent")).isEqualTo(-1);
    }

    @Test
    void isBoundedByItsBytes() {
        OffsetMap map = new OffsetMap(4096L * OffsetMap.BYTES_PER_ENTRY);
        int k = 0;
        while (!map.isFull()) {
            put(map, "key" + k, k);
            k++;
        }

        assertThat(k).isEqualTo(map.capacity()).isLessThanOrEqualTo(4096);
        put(map, "key0", 7);
        assertThat(get(map, "key0")).isEqualTo(7);
        assertThatThrownBy(() -> put(map, "one-too-many", 1)).isInstanceOf(IllegalStateException.class);

        map.clear();
        assertThat(get(map, "key1")).isEqualTo(-1);
    }
}
