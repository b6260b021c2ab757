package io.tributary.broker;

import io.tributary.log.InvalidConfigException;
import io.tributary.spi.ListenerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class ListenerParserTest {

    @Test
    void advertisedListenersAreMatchedByName() {
        // When
        List<ListenerConfig> parsed = ListenerParser.parse("listeners",
                List.of("PLAINTEXT://0.0.0.0:9092", "INTERNAL://[::1]:0"),
                "advertised.listeners", List.of("PLAINTEXT://broker1.example:19092"));

        // Then
        assertThat(parsed).containsExactly(
                new ListenerConfig("PLAINTEXT", "PLAINTEXT", "0.0.0.0", 9092, "broker1.example", 19092),
                new ListenerConfig("INTERNAL", "INTERNAL", "::1", 0, "::1", 0));
    }

    @Test
    void securityProtocolComesFromTheMapAndAnUnmappedNameIsItsOwnProtocol() {
        List<ListenerConfig> parsed = ListenerParser.parse("listeners",
                List.of("CLIENTS://127.0.0.1:9093", "SSL://127.0.0.1:9094"), "advertised.listeners", List.of(),
                "listener.security.protocol.map", List.of("clients:SASL_SSL", "REPLICATION:SSL"));

        assertThat(parsed).extracting(ListenerConfig::securityProtocol).containsExactly("SASL_SSL", "SSL");
        assertThatThrownBy(() -> ListenerParser.parse("listeners", List.of("A://h:1"), "advertised.listeners",
                List.of(), "listener.security.protocol.map", List.of("A")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("listener.security.protocol.map");
    }

    @Test
    void emptyHostBindsEveryInterfaceAndAdvertisesLocalhost() {
        List<ListenerConfig> parsed = ListenerParser.parse("listeners", List.of("PLAINTEXT://:9092"),
                "advertised.listeners", List.of());

        assertThat(parsed).containsExactly(new ListenerConfig("PLAINTEXT", "PLAINTEXT", "0.0.0.0", 9092, "localhost", 9092));
    }

    @Test
    void advertisedNameWithoutListenerIsRefused() {
        assertThatThrownBy(() -> ListenerParser.parse("listeners", List.of("PLAINTEXT://h:1"),
                "advertised.listeners", List.of("SSL://h:2")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("advertised.listeners")
                .hasMessageContaining("SSL");
    }

    @Test
    void duplicateListenerNamesAreRefused() {
        assertThatThrownBy(() -> ListenerParser.parse("listeners", List.of("PLAINTEXT://h:1", "PLAINTEXT://h:2"),
                "advertised.listeners", List.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("unique names");
    }
}
