package io.tributary.kafka.api;

import io.tributary.transactions.TxnError;

/** Whether a transactional batch may be written now; the broker's is the transaction coordinator's {@code checkProduce}. */
@FunctionalInterface
public interface TransactionalWrites {
    TxnError check(long producerId, short producerEpoch, String topic, int partition);
}
