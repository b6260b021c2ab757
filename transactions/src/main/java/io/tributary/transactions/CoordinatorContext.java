package io.tributary.transactions;

import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the parts of the transaction coordinator share: its collaborators, its thread, the transactional
 * ids it owns ({@code transactions}, coordinator thread only) and the views other threads read
 * ({@code writable}, {@code unstableOffsets}). Exists so that each part ({@link MarkerWriter}, ...) is built
 * from one object rather than a long constructor, and so that every part sees the same state.
 */
record CoordinatorContext(TransactionConfig config, LogManager log, IngestPipeline ingest, GroupOffsets groupOffsets,
                          Clock clock, ScheduledExecutorService thread, TransactionLog stateLog,
                          Map<String, TransactionMetadata> transactions, WritableTransactions writable,
                          UnstableOffsets unstableOffsets) {
}
