package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.BrokerEndpoint;
import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Registers one handler per admin API of this package. */
public final class AdminApis {
    private AdminApis() {
    }

    /**
     * Adds the admin handlers to {@code handlers}.
     *
     * @param admin            the listener's single admin thread, for work that writes or scans files
     * @param configuredGroups the ids of the groups with configs of their own, for ListConfigResources
     * @param topicDeleted     told the name of each topic DeleteTopics deleted
     */
    public static void register(Map<ApiKeys, ApiHandler> handlers, LogManager log, IngestPipeline ingest,
                                BrokerSettings settings, BrokerEndpoint self, Executor admin,
                                Supplier<? extends Collection<String>> configuredGroups,
                                Consumer<String> topicDeleted) {
        TopicConfigs topicConfigs = new TopicConfigs(log, settings);
        BrokerConfigs brokerConfigs = new BrokerConfigs(settings);
        handlers.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler(log, ingest, settings, admin, topicDeleted));
        handlers.put(ApiKeys.CREATE_PARTITIONS, new CreatePartitionsHandler(log, settings, admin));
        handlers.put(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler(topicConfigs, brokerConfigs));
        handlers.put(ApiKeys.ALTER_CONFIGS, new AlterConfigsHandler(topicConfigs, brokerConfigs, admin));
        handlers.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                new IncrementalAlterConfigsHandler(topicConfigs, brokerConfigs, admin));
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterHandler(settings, self));
        handlers.put(ApiKeys.DELETE_RECORDS, new DeleteRecordsHandler(log, admin));
        handlers.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(log));
        handlers.put(ApiKeys.DESCRIBE_PRODUCERS, new DescribeProducersHandler(log, ingest, admin));
        handlers.put(ApiKeys.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler(log, admin));
        handlers.put(ApiKeys.ELECT_LEADERS, new ElectLeadersHandler(log));
        handlers.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new ListPartitionReassignmentsHandler());
        handlers.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, new AlterPartitionReassignmentsHandler(log, self.nodeId()));
        handlers.put(ApiKeys.LIST_CONFIG_RESOURCES, new ListConfigResourcesHandler(log, self.nodeId(), configuredGroups));
    }
}
