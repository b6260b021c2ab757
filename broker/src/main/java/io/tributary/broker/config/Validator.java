package io.tributary.broker.config;

import java.util.Arrays;
import java.util.List;

/** A check on a parsed value, with a description of what it allows for the error message. */
public interface Validator {

    boolean accepts(Object value);

    /** What is allowed, phrased to follow "must be", e.g. {@code "an integer >= 1"}. */
    String allowed();

    /** Accepts any value of the key's type. */
    static Validator any(ConfigType type) {
        return of(v -> true, type.description());
    }

    /** A number in {@code [min, max]}. */
    static Validator between(long min, long max) {
        return of(v -> ((Number) v).longValue() >= min && ((Number) v).longValue() <= max,
                "an integer in [" + min + ", " + max + "]");
    }

    /** A number {@code >= min}. */
    static Validator atLeast(long min) {
        return of(v -> ((Number) v).longValue() >= min, "an integer >= " + min);
    }

    /** A number in {@code [min, max]}, fractions allowed. */
    static Validator betweenDecimal(double min, double max) {
        return of(v -> ((Number) v).doubleValue() >= min && ((Number) v).doubleValue() <= max,
                "a number in [" + min + ", " + max + "]");
    }

    /** A positive power of two that fits an int. */
    static Validator powerOfTwo() {
        return of(v -> ((Number) v).intValue() > 0 && Integer.bitCount(((Number) v).intValue()) == 1,
                "a power of two >= 1");
    }

    /** One of the given strings, compared exactly. */
    static Validator oneOf(String... allowed) {
        List<String> values = Arrays.asList(allowed);
        return of(values::contains, "one of " + values);
    }

    /** A list with exactly one item. */
    static Validator singleItem(String what) {
        return of(v -> ((List<?>) v).size() == 1, "exactly one " + what + " (only one is supported)");
    }

    /** A list with at least one item. */
    static Validator nonEmptyList(String what) {
        return of(v -> !((List<?>) v).isEmpty(), "a comma-separated list of at least one " + what);
    }

    /** A non-empty list whose every item is one of the given strings. */
    static Validator listOf(String... allowed) {
        List<String> values = Arrays.asList(allowed);
        return of(v -> !((List<?>) v).isEmpty() && values.containsAll((List<?>) v),
                "a comma-separated list of " + values);
    }

    private static Validator of(java.util.function.Predicate<Object> test, String allowed) {
        return new Validator() {
            @Override
            public boolean accepts(Object value) {
                return test.test(value);
            }

            @Override
            public String allowed() {
                return allowed;
            }
        };
    }
}
