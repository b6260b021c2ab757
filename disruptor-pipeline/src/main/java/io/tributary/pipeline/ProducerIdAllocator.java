package io.tributary.pipeline;

/** Hands out producer ids that are never reused, even across broker restarts. Thread-safe. */
public interface ProducerIdAllocator {
    long nextProducerId();
}
