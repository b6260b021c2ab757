package io.tributary.transactions;

/** The producer id and epoch InitProducerId hands out, or an error with id -1 and epoch -1. */
public record InitProducerIdResult(TxnError error, long producerId, short producerEpoch) {
    static InitProducerIdResult failure(TxnError error) {
        return new InitProducerIdResult(error, -1L, (short) -1);
    }
}
