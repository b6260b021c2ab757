package io.tributary.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

@Timeout(5)
class CommandLineTest {

    @Test
    void fileAndOverridesInOrder() {
        CommandLine cl = CommandLine.parse("c.properties", "--override", "a=1", "--override", "b=x=y", "--override", "a=2");

        assertThat(cl.configFile()).isEqualTo(Path.of("c.properties"));
        assertThat(cl.overrides()).containsExactly(entry("a", "2"), entry("b", "x=y"));
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

    @Test
    void helpIsAnOptionNotAnError() {
        assertThat(CommandLine.parse("--help").helpRequested()).isTrue();
        assertThat(CommandLine.parse("c.properties", "-h").helpRequested()).isTrue();
        assertThat(CommandLine.parse("c.properties").helpRequested()).isFalse();
    }

    @Test
    void aSettingWithoutOverrideSaysHowToWriteIt() {
        assertThatThrownBy(() -> CommandLine.parse("listeners=PLAINTEXT://127.0.0.1:9093"))
                .hasMessage("'listeners=PLAINTEXT://127.0.0.1:9093' is not a config file; to set a key, write "
                        + "--override listeners=PLAINTEXT://127.0.0.1:9093");
    }
}
