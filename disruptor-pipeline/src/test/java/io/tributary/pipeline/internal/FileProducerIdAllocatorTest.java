package io.tributary.pipeline.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class FileProducerIdAllocatorTest {
    @TempDir
    Path dir;

    @Test
    void idsAreNeverReusedAcrossRestarts() throws Exception {
        // Given ids taken before a restart, some of them from a second block
        Set<Long> seen = new HashSet<>();
        FileProducerIdAllocator first = FileProducerIdAllocator.open(dir);
        for (int i = 0; i < FileProducerIdAllocator.BLOCK_SIZE + 10; i++) {
            assertThat(seen.add(first.nextProducerId())).isTrue();
        }

        // When the allocator is opened again
        FileProducerIdAllocator second = FileProducerIdAllocator.open(dir);
        long next = second.nextProducerId();

        // Then it starts after every block handed out before
        assertThat(seen).doesNotContain(next);
        assertThat(next).isEqualTo(2L * FileProducerIdAllocator.BLOCK_SIZE);
        assertThat(Files.readString(dir.resolve(FileProducerIdAllocator.FILE_NAME)).trim())
                .isEqualTo(Long.toString(3L * FileProducerIdAllocator.BLOCK_SIZE));
    }

    @Test
    void isSafeUnderConcurrentCalls() throws Exception {
        // Given
        FileProducerIdAllocator allocator = FileProducerIdAllocator.open(dir);
        Set<Long> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();

        // When four threads take 600 ids each
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 600; i++) {
                    ids.add(allocator.nextProducerId());
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        // Then all are distinct
        assertThat(ids).hasSize(2400);
    }

    @Test
    void refusesCorruptFile() throws Exception {
        Files.writeString(dir.resolve(FileProducerIdAllocator.FILE_NAME), "garbage", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> FileProducerIdAllocator.open(dir)).hasMessageContaining("corrupt");
    }
}
