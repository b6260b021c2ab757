package io.tributary.differential;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a client sees from one scenario, as a comparable string: {@code ok <value>} or
 * {@code error <ExceptionSimpleName>} (the cause of an {@link ExecutionException}, since Admin futures wrap it).
 * Messages are left out on purpose: Kafka and Tributary word them differently.
 */
final class Outcome {
    private Outcome() {
    }

    /** A scenario step that returns what the client saw or throws what it threw. */
    @FunctionalInterface
    interface Step {
        Object run() throws Exception;
    }

    /** Runs {@code step} and describes its result or the exception it threw. */
    static String of(Step step) {
        try {
            return "ok " + step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            return error(e);
        }
    }

    /** {@code error <SimpleName>} of {@code e}, unwrapping execution and completion wrappers. */
    static String error(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return "error " + t.getClass().getSimpleName();
    }
}
