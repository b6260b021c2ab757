package io.tributary.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class CommandLineTest {

    @Test
    void fileAndOverridesInOrder() {
        CommandLine cl = CommandLine.parse("c.properties", "--override", "a=1", "--override", "b=x=y", "--override", "a=2");

        assertThat(cl.configFile()).isEqualTo(Path.of("c.properties"));
        assertThat(cl.overrides()).containsExactlyEntriesOf(Map.of("a", "2", "b", "x=y"));
    }

    @Test
    void noArgumentsMeansDefaults() {
        CommandLine cl = CommandLine.parse();

        assertThat(cl.configFile()).isNull();
        assertThat(cl.overrides()).isEmpty();
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> CommandLine.parse("--override")).hasMessageContaining("key=value");
        assertThatThrownBy(() -> CommandLine.parse("--override", "novalue")).hasMessageContaining("novalue");
        assertThatThrownBy(() -> CommandLine.parse("--verbose")).hasMessageContaining("--verbose");
        assertThatThrownBy(() -> CommandLine.parse("a", "b")).hasMessageContaining("more than one");
    }
}
