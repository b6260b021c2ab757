package io.tributary.compat.tools;

import io.tributary.compat.ExternalCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code bin/kafka-*.sh} scripts this module drives, each named by the main class the script runs. */
enum KafkaTool {
    TOPICS("org.apache.kafka.tools.TopicCommand"),
    CONSOLE_PRODUCER("org.apache.kafka.tools.ConsoleProducer"),
    CONSOLE_CONSUMER("org.apache.kafka.tools.consumer.ConsoleConsumer"),
    CONSUMER_GROUPS("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"),
    GET_OFFSETS("org.apache.kafka.tools.GetOffsetShell"),
    LOG_DIRS("org.apache.kafka.tools.LogDirsCommand"),
    /** kafka-configs.sh: in the tools' version still Kafka's core (Scala) class. */
    CONFIGS("kafka.admin.ConfigCommand"),
    DELETE_RECORDS("org.apache.kafka.tools.DeleteRecordsCommand"),
    TRANSACTIONS("org.apache.kafka.tools.TransactionsCommand"),
    FEATURES("org.apache.kafka.tools.FeatureCommand"),
    ACLS("org.apache.kafka.tools.AclCommand"),
    LEADER_ELECTION("org.apache.kafka.tools.LeaderElectionCommand"),
    REASSIGN_PARTITIONS("org.apache.kafka.tools.reassign.ReassignPartitionsCommand"),
    SHARE_GROUPS("org.apache.kafka.tools.consumer.group.ShareGroupCommand"),
    CONSOLE_SHARE_CONSUMER("org.apache.kafka.tools.consumer.ConsoleShareConsumer");

    private final String mainClass;

    KafkaTool(String mainClass) {
        this.mainClass = mainClass;
    }

    /** The tool with {@code --bootstrap-server <bootstrap>} followed by {@code args}, in a child JVM. */
    ExternalCommand command(String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        all.addAll(List.of(args));
        return ExternalCommand.java(mainClass, all).withTimeout(Duration.ofSeconds(40));
    }
}
