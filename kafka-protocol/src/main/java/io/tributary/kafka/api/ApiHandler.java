package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;

/**
 * Serves one Kafka API. Called on the connection's event loop with a request of its API at an
 * accepted version; finishes it exactly once through the context, now or later, from any thread.
 * Never blocks the event loop on disk writes: appends go through the ingest pipeline, and admin
 * work that writes files runs on the admin executor.
 */
@FunctionalInterface
public interface ApiHandler {
    void handle(RequestContext context);
}
