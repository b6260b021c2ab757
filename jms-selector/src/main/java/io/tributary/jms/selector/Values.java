package io.tributary.jms.selector;

/**
 * Value rules of the evaluator: numbers widen to {@code Long} (exact) or {@code Double} (approximate); a
 * {@code null} result stands for SQL's UNKNOWN.
 */
final class Values {
    private Values() {
    }

    /** {@code value} as Long, Double, String or Boolean; any other type (or none) as {@code null}. */
    static Object normalize(Object value) {
        if (value instanceof Long || value instanceof Double || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return null;
    }

    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double;
    }

    /** -1, 0 or 1 for two numbers, compared as longs if both are exact, else as doubles. */
    static int compareNumbers(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2;
    }

    static Boolean and(Object a, Object b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return Boolean.FALSE;
        }
        return Boolean.TRUE.equals(a) && Boolean.TRUE.equals(b) ? Boolean.TRUE : null;
    }

    static Boolean or(Object a, Object b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return Boolean.TRUE;
        }
        return Boolean.FALSE.equals(a) && Boolean.FALSE.equals(b) ? Boolean.FALSE : null;
    }

    static Boolean not(Object a) {
        return a instanceof Boolean b ? !b : null;
    }
}
