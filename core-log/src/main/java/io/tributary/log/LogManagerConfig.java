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
    private final boolean scrubberEnable;
    private final long scrubberBytesPerSecond;
    private final long scrubberIntervalMs;

    private LogManagerConfig(Builder b) {
        this.dir = Objects.requireNonNull(b.dir, "dir");
        this.defaults = b.defaults;
        this.retentionCheckIntervalMs = b.retentionCheckIntervalMs;
        this.fileDeleteDelayMs = b.fileDeleteDelayMs;
        this.clock = b.clock;
        this.cleaner = b.cleaner;
        this.cleanerHints = b.cleanerHints;
        this.scrubberEnable = b.scrubberEnable;
        this.scrubberBytesPerSecond = b.scrubberBytesPerSecond;
        this.scrubberIntervalMs = b.scrubberIntervalMs;
        if (scrubberBytesPerSecond < 1) {
            throw new InvalidConfigException("log.scrubber.bytes.per.second", Long.toString(scrubberBytesPerSecond), "at least 1");
        }
        if (scrubberIntervalMs < 1) {
            throw new InvalidConfigException("log.scrubber.interval.ms", Long.toString(scrubberIntervalMs), "at least 1");
        }
    }

    /** {@code log.scrubber.enable}: whether closed segments are checked in the background (decision 0018). */
    public boolean scrubberEnable() {
        return scrubberEnable;
    }

    /** {@code log.scrubber.bytes.per.second}: the scrubber's read rate limit. */
    public long scrubberBytesPerSecond() {
        return scrubberBytesPerSecond;
    }

    /** {@code log.scrubber.interval.ms}: pause between two scrub passes over the closed segments. */
    public long scrubberIntervalMs() {
        return scrubberIntervalMs;
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
        private boolean scrubberEnable = true;
        private long scrubberBytesPerSecond = 4L * 1024 * 1024;
        private long scrubberIntervalMs = 60_000L;

        public Builder scrubberEnable(boolean enable) {
            this.scrubberEnable = enable;
            return this;
        }

        public Builder scrubberBytesPerSecond(long bytesPerSecond) {
            this.scrubberBytesPerSecond = bytesPerSecond;
            return this;
        }

        public Builder scrubberIntervalMs(long ms) {
            this.scrubberIntervalMs = ms;
            return this;
        }

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
