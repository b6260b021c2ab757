package io.tributary.kafka.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConfigDuplicatesTest {
    private record Resource(byte type, String name) {
    }

    @Test
    void everyCopyOfAResourceListedTwiceIsFlagged() {
        // Given topic "a" twice, topic "b" once and broker "a" (same name, other type)
        List<Resource> resources = List.of(new Resource((byte) 2, "a"), new Resource((byte) 2, "b"),
                new Resource((byte) 4, "a"), new Resource((byte) 2, "a"));

        // When the duplicates are looked for
        Predicate<Resource> listedTwice = ConfigDuplicates.listedTwice(resources, Resource::type, Resource::name);

        // Then both copies of topic "a" and nothing else are
        assertThat(resources).filteredOn(listedTwice).containsExactly(resources.get(0), resources.get(3));
    }

    @Test
    void firstRepeatedKeyIsThePositionOfTheSecondOccurrence() {
        assertThat(ConfigDuplicates.firstRepeatedKey(List.of("x", "y", "z", "y", "x"), k -> k)).isEqualTo(3);
        assertThat(ConfigDuplicates.firstRepeatedKey(List.of("x", "y"), k -> k)).isEqualTo(-1);
        assertThat(ConfigDuplicates.firstRepeatedKey(List.<String>of(), k -> k)).isEqualTo(-1);
    }
}
