package io.tributary.spi;

import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;

/** What the broker hands every protocol adapter: the core services and the broker-wide settings. */
public interface BrokerServices {
    LogManager log();

    IngestPipeline ingest();

    BrokerSettings settings();
}
