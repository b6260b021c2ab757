/**
 * The ingest pipeline: validation, idempotent-producer sequencing, journaling with group commit,
 * and commit notification over one Disruptor ring. Depends on {@code core-log}; knows no protocol.
 */
package io.tributary.pipeline;
