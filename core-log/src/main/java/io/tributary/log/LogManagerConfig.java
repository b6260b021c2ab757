package io.tributary.log;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How to open a {@link LogManager}: where, with which topic defaults, and how often the background
 * work (retention, periodic flush, log cleaner) runs.
 */
public final class LogManagerConfig {
    private final Path dir;
    private final LogConfig defaults;
    private final long retentionCheckIntervalMs;
    private final long fileDeleteDelayMs;
    private final Clock clock;
    private final CleanerConfig cleaner;
    private final CleanerHints cleanerHints;

    private LogManagerConfig(Builder b) {
        this.dir = Objects.requireNonNull(b.dir, "dir");
        this.defaults = b.defaults;
        this.retentionCheckIntervalMs = b.retentionCheckIntervalMs;
        this.fileDeleteDelayMs = b.fileDeleteDelayMs;
        this.clock = b.clock;
        this.cleaner = b.cleaner;
        this.cleanerHints = b.cleanerHints;
    }

    public static Builder builder(Path dir) {
        return new Builder().dir(dir);
    }

    /** The data directory ({@code log.dirs}). */
    public Path dir() {
        return dir;
    }

    public LogConfig defaults() {
        return defaults;
    }

    /** {@code log.retention.check.interval.ms}: how often retention and segment age are checked. */
    public long retentionCheckIntervalMs() {
        return retentionCheckIntervalMs;
    }

    /**
     * {@code file.delete.delay.ms}: how long a segment removed by retention stays open for readers
     * that already hold a slice of it before its files are closed and deleted.
     */
    public long fileDeleteDelayMs() {
        return fileDeleteDelayMs;
    }

    public Clock clock() {
        return clock;
    }

    /** The log cleaner's {@code log.cleaner.*} settings. */
    public CleanerConfig cleaner() {
        return cleaner;
    }

    /** What the cleaner is told about transactions; {@link CleanerHints#NONE} until they exist. */
    public CleanerHints cleanerHints() {
        return cleanerHints;
    }

    public static final class Builder {
        private Path dir;
        private LogConfig defaults = LogConfig.defaults();
        private long retentionCheckIntervalMs = 5 * 60 * 1000L;
        private long fileDeleteDelayMs = 60_000L;
        private Clock clock = Clock.systemUTC();
        private CleanerConfig cleaner = CleanerConfig.DEFAULTS;
        private CleanerHints cleanerHints = CleanerHints.NONE;

        public Builder dir(Path dir) {
            this.dir = dir;
            return this;
        }

        public Builder defaults(LogConfig defaults) {
            this.defaults = Objects.requireNonNull(defaults);
            return this;
        }

        public Builder retentionCheckIntervalMs(long ms) {
            this.retentionCheckIntervalMs = ms;
            return this;
        }

        public Builder fileDeleteDelayMs(long ms) {
            this.fileDeleteDelayMs = ms;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder cleaner(CleanerConfig cleaner) {
            this.cleaner = Objects.requireNonNull(cleaner);
            return this;
        }

        public Builder cleanerHints(CleanerHints hints) {
            this.cleanerHints = Objects.requireNonNull(hints);
            return this;
        }

        public LogManagerConfig build() {
            return new LogManagerConfig(this);
        }
    }
}
