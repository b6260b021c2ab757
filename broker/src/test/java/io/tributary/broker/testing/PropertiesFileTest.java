package io.tributary.broker.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class PropertiesFileTest {
    @TempDir
    Path dir;

    @Test
    void writtenFileLoadsBackToTheSameValues() throws Exception {
        // Given pairs, a later one overriding an earlier key, and a value with backslashes
        Map<String, String> config = PropertiesFile.putPairs(new LinkedHashMap<>(),
                "log.dirs=C:\\data\\log", "num.partitions=1", "num.partitions=3", "x=a=b");

        // When
        Path file = PropertiesFile.write(dir.resolve("b.properties"), config);

        // Then
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded.load(reader);
        }
        assertThat(loaded).containsOnly(Map.entry("log.dirs", "C:\\data\\log"), Map.entry("num.partitions", "3"),
                Map.entry("x", "a=b"));
    }

    @Test
    void aPairWithoutEqualsIsRefused() {
        assertThatThrownBy(() -> PropertiesFile.putPairs(new LinkedHashMap<>(), "novalue"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("novalue");
    }
}
