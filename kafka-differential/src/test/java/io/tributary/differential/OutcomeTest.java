package io.tributary.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OutcomeTest {

    @Test
    void valueIsReportedAsOk() {
        // Given a step that returns a value / When it is run / Then the outcome names the value
        assertThat(Outcome.of(() -> 42)).isEqualTo("ok 42");
    }

    @Test
    void executionExceptionIsUnwrappedToItsCause() {
        // Given a step that fails as an Admin future does
        Outcome.Step step = () -> {
            throw new ExecutionException(new TopicExistsException("exists"));
        };
        // When it is run / Then the outcome names the cause's class, not the wrapper or the message
        assertThat(Outcome.of(step)).isEqualTo("error TopicExistsException");
    }
}
