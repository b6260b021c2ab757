package io.tributary.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Log directories through DescribeLogDirs ({@code Admin.describeLogDirs} and {@code describeReplicaLogDirs}):
 * the shape of the answer must be Kafka's on both brokers. Paths and volume sizes differ from machine to machine,
 * so only whether they are there is compared; partition sizes are compared exactly, since both store the
 * producer's batches as they arrive.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LogDirsDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(60)
    void describeLogDirsListsEveryPartitionWithItsSize() {
        differential("ok dirs=1 error=none volume=true [dirs-all-0 size=228 lag=0 future=false,"
                + " dirs-all-1 size=0 lag=0 future=false]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "dirs-all", 2);
            Differential.produce(b, "dirs-all", 3);
            List<String> replicas = awaitReplicas(admin, "dirs-all", 2);
            int node = nodeId(admin);
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(node)).allDescriptions().get().get(node);
            LogDirDescription dir = dirs.values().iterator().next();
            return "dirs=" + dirs.size() + " error=" + (dir.error() == null ? "none" : dir.error().getClass().getSimpleName())
                    + " volume=" + (dir.totalBytes().isPresent() && dir.usableBytes().isPresent()
                    && dir.usableBytes().getAsLong() <= dir.totalBytes().getAsLong())
                    + " " + replicas;
        }));
    }

    @Test
    @Timeout(60)
    void describeLogDirsBeforeAnyRecordShowsEmptyPartitions() {
        differential("ok [dirs-empty-0 size=0 lag=0 future=false]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "dirs-empty", 1);
            return awaitReplicas(admin, "dirs-empty", 1);
        }));
    }

    @Test
    @Timeout(60)
    void describeReplicaLogDirsOfExistingAndMissingPartitions() {
        differential("ok dirs-replica-0: dir=true lag=0 futureDir=null futureLag=-1;"
                + " dirs-replica-5: dir=false lag=-1 futureDir=null futureLag=-1;"
                + " never-created-0: dir=false lag=-1 futureDir=null futureLag=-1", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "dirs-replica", 1);
            Differential.produce(b, "dirs-replica", 2);
            int node = nodeId(admin);
            List<TopicPartitionReplica> asked = List.of(new TopicPartitionReplica("dirs-replica", 0, node),
                    new TopicPartitionReplica("dirs-replica", 5, node), new TopicPartitionReplica("never-created", 0, node));
            Map<TopicPartitionReplica, ReplicaLogDirInfo> infos = admin.describeReplicaLogDirs(asked).all().get();
            List<String> described = new ArrayList<>();
            for (TopicPartitionReplica replica : asked) {
                ReplicaLogDirInfo info = infos.get(replica);
                described.add(replica.topic() + "-" + replica.partition() + ": dir=" + (info.getCurrentReplicaLogDir() != null)
                        + " lag=" + info.getCurrentReplicaOffsetLag() + " futureDir=" + info.getFutureReplicaLogDir()
                        + " futureLag=" + info.getFutureReplicaOffsetLag());
            }
            return String.join("; ", described);
        }));
    }

    /**
     * The partitions of {@code topic} in the broker's only log directory, once it lists {@code partitions} of them
     * (for up to 15 s). Kafka shows a new topic in its metadata a moment before it has created the partitions' logs.
     */
    private static List<String> awaitReplicas(Admin admin, String topic, int partitions) throws Exception {
        int node = nodeId(admin);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(node)).allDescriptions().get().get(node);
            List<String> replicas = replicas(dirs.values().iterator().next(), topic);
            if (replicas.size() >= partitions || System.nanoTime() > deadline) {
                return replicas;
            }
            Thread.sleep(50);
        }
    }

    /** The broker the Admin is connected to (each side has exactly one). */
    private static int nodeId(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get().iterator().next().id();
    }

    /** The partitions of {@code topic} in {@code dir}, sorted: {@code <topic>-<p> size=<n> lag=<n> future=<flag>}. */
    private static List<String> replicas(LogDirDescription dir, String topic) {
        Map<Integer, String> byPartition = new TreeMap<>();
        for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
            if (e.getKey().topic().equals(topic)) {
                ReplicaInfo info = e.getValue();
                byPartition.put(e.getKey().partition(), e.getKey() + " size=" + info.size() + " lag=" + info.offsetLag()
                        + " future=" + info.isFuture());
            }
        }
        return List.copyOf(byPartition.values());
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }
}
