package io.tributary.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class DataDirLockTest {

    @Test
    void secondLockOnTheSameDirectoryIsRefusedUntilTheFirstIsReleased(@TempDir Path dir) {
        // Given
        DataDirLock first = DataDirLock.acquire(dir);

        // Then
        assertThatThrownBy(() -> DataDirLock.acquire(dir)).hasMessageContaining(dir.toString());

        // And when released, it can be taken again
        first.close();
        DataDirLock.acquire(dir).close();
    }
}
