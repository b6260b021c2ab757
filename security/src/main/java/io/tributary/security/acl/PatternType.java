package io.tributary.security.acl;

/**
 * How an ACL's resource name matches, with Kafka's wire codes. LITERAL matches the name exactly
 * (or every name, for {@code *}); PREFIXED every name starting with it. ANY and MATCH appear only
 * in filters: ANY matches bindings of either type by name, MATCH the bindings that would apply to
 * the given resource.
 */
public enum PatternType {
    ANY(1), MATCH(2), LITERAL(3), PREFIXED(4);

    private final byte code;

    PatternType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static PatternType of(byte code) {
        for (PatternType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
