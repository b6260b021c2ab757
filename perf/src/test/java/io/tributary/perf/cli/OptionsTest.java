package io.tributary.perf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OptionsTest {

    private static final List<OptionSpec> SPECS = List.of(
            OptionSpec.value("rate", "R", "-1", "rate"),
            OptionSpec.value("records", "N", "1000", "records"),
            OptionSpec.value("warmup", "D", "5s", "warmup"),
            OptionSpec.flag("idempotence", "idem"),
            OptionSpec.repeated("producer-prop", "K=V", "props"));

    @Test
    void parsesValuesFlagsRepeatsAndPositionals() {
        // When
        Options o = Options.parse(SPECS, "--rate", "50k", "--records=2_000_000", "--idempotence",
                "--producer-prop", "a=1", "--producer-prop", "b=x=y", "file.hgrm");
        // Then
        assertThat(o.longValue("rate")).isEqualTo(50_000);
        assertThat(o.longValue("records")).isEqualTo(2_000_000);
        assertThat(o.flag("idempotence")).isTrue();
        assertThat(o.keyValues("producer-prop")).isEqualTo(Map.of("a", "1", "b", "x=y"));
        assertThat(o.positional()).containsExactly("file.hgrm");
        assertThat(o.duration("warmup")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultsApplyAndFlagsAreOffWhenAbsent() {
        Options o = Options.parse(SPECS);
        assertThat(o.longValue("rate")).isEqualTo(-1);
        assertThat(o.flag("idempotence")).isFalse();
        assertThat(o.has("records")).isFalse();
    }

    @Test
    void durationsTakeUnits() {
        assertThat(Options.parseDuration("d", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Options.parseDuration("d", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Options.parseDuration("d", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Options.parseDuration("d", "3")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Options.parseDuration("d", "soon")).isInstanceOf(UsageException.class);
    }

    @Test
    void mistakesAreUsageErrors() {
        assertThatThrownBy(() -> Options.parse(SPECS, "--nope")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--nope");
        assertThatThrownBy(() -> Options.parse(SPECS, "--rate")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Options.parse(SPECS, "--rate", "1", "--rate", "2")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Options.parse(SPECS, "--idempotence=yes")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Options.parse(SPECS, "--rate", "fast").longValue("rate"))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void usageListsEveryOptionWithItsDefault() {
        String u = Options.usage("Usage: x", SPECS);
        assertThat(u).contains("--rate R", "[-1]", "--idempotence", "(repeatable)");
    }
}
