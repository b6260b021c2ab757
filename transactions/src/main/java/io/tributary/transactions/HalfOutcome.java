package io.tributary.transactions;

import java.util.Locale;

/** How a half transaction ends. */
public enum HalfOutcome {
    COMMIT, ROLLBACK;

    /** {@code commit} or {@code rollback}, any case. */
    public static HalfOutcome parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "commit" -> COMMIT;
            case "rollback" -> ROLLBACK;
            default -> throw new IllegalArgumentException("expected commit or rollback, got '" + text + "'");
        };
    }
}
