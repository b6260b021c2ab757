package io.tributary.transactions.client;

import java.util.Map;

/**
 * An undecided half message as the broker shows it in a check.
 *
 * @param transactionId the id {@link TransactionSendResult#getTransactionId()} gave when it was sent
 * @param checkTimes    1 for the first check of this transaction, then 2, ... (RocketMQ's {@code TRANSACTION_CHECK_TIMES})
 * @param keys          the record key in UTF-8, or null
 * @param properties    the record headers, values in UTF-8 (null for a null value)
 */
public record MessageView(String transactionId, String topic, int partition, int checkTimes, long timestamp,
                          String keys, byte[] body, Map<String, String> properties) {
}
