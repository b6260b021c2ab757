package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * DescribeProducers (v0), on the admin executor since it reads batch headers from disk: per
 * partition, the idempotent producers found in its retained batches ({@link ProducerScan}, with
 * its known gap on expiration), each with the first offset of its transaction open in the partition
 * (-1 if none; the pipeline's {@link io.tributary.pipeline.TransactionView}); the coordinator epoch is
 * always -1. Unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION.
 */
final class DescribeProducersHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DescribeProducersHandler.class);

    private final LogManager log;
    private final IngestPipeline ingest;
    private final Executor admin;

    DescribeProducersHandler(LogManager log, IngestPipeline ingest, Executor admin) {
        this.log = log;
        this.ingest = ingest;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeProducersRequestData request = (DescribeProducersRequestData) context.request().body();
        AdminWork.run(context, admin, () -> describeAll(request));
    }

    private DescribeProducersResponseData describeAll(DescribeProducersRequestData request) {
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (TopicRequest topic : request.topics()) {
            TopicResponse result = new TopicResponse().setName(topic.name());
            Optional<Topic> found = log.topic(topic.name());
            for (int index : topic.partitionIndexes()) {
                result.partitions().add(describe(topic.name(), found, index));
            }
            response.topics().add(result);
        }
        return response;
    }

    private PartitionResponse describe(String name, Optional<Topic> topic, int index) {
        PartitionResponse result = new PartitionResponse().setPartitionIndex(index);
        if (topic.isEmpty() || index < 0 || index >= topic.get().partitionCount()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        try {
            return result.setErrorCode(Errors.NONE.code()).setActiveProducers(ProducerScan.scan(topic.get().partition(index),
                    ingest.transactions(topic.get().partition(index)).openTransactions()));
        } catch (IOException e) {
            LOG.error("Cannot read the batches of {}-{}", name, index, e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(e.getMessage());
        }
    }
}
