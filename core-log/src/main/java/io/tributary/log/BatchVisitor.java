package io.tributary.log;

/** Receives the headers of stored batches in offset order, e.g. to rebuild producer state. */
@FunctionalInterface
public interface BatchVisitor {
    /** {@code header} is only valid during the call. */
    void visit(RecordBatchHeader header);
}
