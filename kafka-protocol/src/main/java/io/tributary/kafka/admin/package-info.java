/**
 * Kafka's topic and cluster administration APIs over the log: DeleteTopics, CreatePartitions,
 * DescribeConfigs, AlterConfigs, IncrementalAlterConfigs, DescribeCluster, DeleteRecords,
 * OffsetForLeaderEpoch, DescribeProducers, ListTransactions and DescribeLogDirs. One handler per
 * API (configs share the topic-config translation in {@link io.tributary.kafka.admin.TopicConfigs});
 * handlers that write or scan files, or ask the file system, run on the listener's admin executor,
 * the rest on the event loop. {@link io.tributary.kafka.admin.AdminApis} registers them. Depends on
 * the {@code api} and {@code network} packages of this module, on core-log and on kafka-clients'
 * message classes.
 */
package io.tributary.kafka.admin;
