package io.tributary.pipeline.internal;

import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;

/** Placeholder until the implementation lands. */
public final class DisruptorIngestPipeline {
    private DisruptorIngestPipeline() {
    }

    public static IngestPipeline start(LogManager log, PipelineConfig config) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
