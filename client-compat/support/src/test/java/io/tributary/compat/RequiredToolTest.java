package io.tributary.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RequiredToolTest {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    @Test
    void aProgramOnThePathIsFound() {
        // Given/When sh is looked up / Then its absolute path comes back
        assertThat(RequiredTool.onPath("sh")).isAbsolute().isExecutable();
    }

    @Test
    void aMissingProgramSkipsLocallyAndFailsOnCi() {
        // Given a program that does not exist / When it is required / Then the test is aborted, or failed on CI
        assertThatThrownBy(() -> RequiredTool.onPath("no-such-client-3f9a"))
                .isInstanceOf(CI ? AssertionFailedError.class : TestAbortedException.class)
                .hasMessageContaining("no-such-client-3f9a").hasMessageContaining(".ci/install-clients.sh");
    }
}
