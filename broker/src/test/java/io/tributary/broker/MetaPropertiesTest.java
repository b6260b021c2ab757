package io.tributary.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class MetaPropertiesTest {

    @Test
    void firstStartCreatesAClusterIdThatLaterStartsKeep(@TempDir Path dir) {
        // When
        MetaProperties first = MetaProperties.loadOrCreate(dir, 7);
        MetaProperties second = MetaProperties.loadOrCreate(dir, 7);

        // Then
        assertThat(first.clusterId()).matches("[A-Za-z0-9_-]{22}");
        assertThat(second).isEqualTo(first);
        assertThat(dir.resolve("meta.properties")).content().contains("cluster.id=" + first.clusterId(), "node.id=7");
    }

    @Test
    void anotherNodeIdIsRefused(@TempDir Path dir) {
        // Given
        MetaProperties.loadOrCreate(dir, 1);

        // Then
        assertThatThrownBy(() -> MetaProperties.loadOrCreate(dir, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node.id 2 does not match node.id 1");
    }

    @Test
    void malformedFileIsReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("meta.properties"), "version=1\n");

        assertThatThrownBy(() -> MetaProperties.loadOrCreate(dir, 1)).hasMessageContaining("malformed");
    }

    @Test
    void clusterIdsDiffer() {
        assertThat(MetaProperties.randomClusterId()).isNotEqualTo(MetaProperties.randomClusterId());
    }
}
