package io.tributary.transactions;

/**
 * What EndTxn answers: the error, and from {@link TransactionVersion#V2} on the producer id and epoch the
 * producer continues with (the bumped epoch, or a new id at epoch 0 once the epoch is exhausted); -1 and
 * -1 on an error, and for {@link TransactionVersion#V1}, whose epoch does not change.
 */
public record EndTxnResult(TxnError error, long producerId, short producerEpoch) {
    static EndTxnResult failure(TxnError error) {
        return new EndTxnResult(error, -1L, (short) -1);
    }
}
