package io.tributary.kafka.txn;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.transactions.TransactionCoordinator;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Map;

/** The handlers of the transaction APIs over the broker's one transaction coordinator. */
public final class TxnApis {
    private TxnApis() {
    }

    /** Adds one handler per transaction API to {@code handlers}. */
    public static void register(Map<ApiKeys, ApiHandler> handlers, TransactionCoordinator coordinator,
                                GroupCoordinator groups, LogManager log, IngestPipeline ingest) {
        handlers.put(ApiKeys.WRITE_TXN_MARKERS, new WriteTxnMarkersHandler(log, ingest));
        handlers.put(ApiKeys.ADD_PARTITIONS_TO_TXN, new AddPartitionsToTxnHandler(coordinator));
        handlers.put(ApiKeys.ADD_OFFSETS_TO_TXN, new AddOffsetsToTxnHandler(coordinator));
        handlers.put(ApiKeys.TXN_OFFSET_COMMIT, new TxnOffsetCommitHandler(coordinator, groups, log));
        handlers.put(ApiKeys.END_TXN, new EndTxnHandler(coordinator));
        handlers.put(ApiKeys.LIST_TRANSACTIONS, new ListTransactionsHandler(coordinator));
        handlers.put(ApiKeys.DESCRIBE_TRANSACTIONS, new DescribeTransactionsHandler(coordinator));
    }
}
