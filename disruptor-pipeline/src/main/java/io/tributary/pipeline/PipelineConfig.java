package io.tributary.pipeline;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/** Settings of the ingest pipeline. */
public final class PipelineConfig {
    private final int ringSize;
    private final Clock clock;
    private final long producerIdExpirationMs;
    private final Path stateDir;

    private PipelineConfig(Builder b) {
        if (Integer.bitCount(b.ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + b.ringSize);
        }
        this.ringSize = b.ringSize;
        this.clock = b.clock;
        this.producerIdExpirationMs = b.producerIdExpirationMs;
        this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Slots in the ring ({@code ingest.ring.size}); a full ring is back-pressure. */
    public int ringSize() {
        return ringSize;
    }

    public Clock clock() {
        return clock;
    }

    /** {@code producer.id.expiration.ms}: idle producers' state is dropped after this long. */
    public long producerIdExpirationMs() {
        return producerIdExpirationMs;
    }

    /**
     * Directory for the pipeline's own small state files (the producer-id block, one producer-state
     * snapshot per partition); normally {@code log.dirs}.
     */
    public Path stateDir() {
        return stateDir;
    }

    public static final class Builder {
        private Path stateDir;
        private int ringSize = 4096;
        private Clock clock = Clock.systemUTC();
        private long producerIdExpirationMs = 86_400_000L;

        public Builder ringSize(int ringSize) {
            this.ringSize = ringSize;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder producerIdExpirationMs(long ms) {
            this.producerIdExpirationMs = ms;
            return this;
        }

        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        public PipelineConfig build() {
            return new PipelineConfig(this);
        }
    }
}
