package io.tributary.log.internal;

import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;

/** Placeholder until the implementation lands. */
public final class DefaultLogManager {
    private DefaultLogManager() {
    }

    public static LogManager open(LogManagerConfig config) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
