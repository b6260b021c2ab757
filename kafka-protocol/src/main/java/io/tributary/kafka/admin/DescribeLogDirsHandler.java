package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * DescribeLogDirs (v1-5), on the admin executor since it asks the file system for the volume's
 * space: one result for the directory the log lives in ({@link LogManager#directory()}, the one
 * directory of {@code log.dirs}), listing each requested partition
 * with its size in bytes ({@link io.tributary.log.PartitionLog#sizeInBytes()}), offset lag 0 (the
 * log end of a single replica is its high watermark) and no future log (there is no
 * AlterReplicaLogDirs). From v4 the total and usable bytes of the volume, from v5 not cordoned.
 *
 * <p>As Kafka's ReplicaManager: a null topic list means every partition of every topic, internal
 * ones included; requested partitions that do not exist are left out, as are topics left with no
 * partition, and are not an error. A directory whose volume cannot be read is answered with
 * KAFKA_STORAGE_ERROR and no topics. The request-level error is always NONE: there is no authorizer.
 */
final class DescribeLogDirsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DescribeLogDirsHandler.class);

    private final LogManager log;
    private final Path logDir;
    private final Executor admin;

    DescribeLogDirsHandler(LogManager log, Executor admin) {
        this.log = log;
        this.logDir = log.directory().toAbsolutePath();
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeLogDirsRequestData request = (DescribeLogDirsRequestData) context.request().body();
        AdminWork.run(context, admin, () -> describe(request));
    }

    /** The answer to {@code request}; reads the file system. */
    DescribeLogDirsResponseData describe(DescribeLogDirsRequestData request) {
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
        response.results().add(describeDir(logDir, requested(request)));
        return response;
    }

    /** The partition indexes asked for per topic, or null for all of them. */
    private static Map<String, Set<Integer>> requested(DescribeLogDirsRequestData request) {
        if (request.topics() == null) {
            return null;
        }
        Map<String, Set<Integer>> byTopic = new HashMap<>();
        for (DescribableLogDirTopic topic : request.topics()) {
            byTopic.computeIfAbsent(topic.topic(), t -> new HashSet<>()).addAll(topic.partitions());
        }
        return byTopic;
    }

    private DescribeLogDirsResult describeDir(Path dir, Map<String, Set<Integer>> requested) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString());
        try {
            FileStore volume = Files.getFileStore(dir);
            result.setTotalBytes(orMax(volume.getTotalSpace())).setUsableBytes(orMax(volume.getUsableSpace()));
        } catch (IOException e) {
            LOG.warn("Cannot read the volume of log directory {}", dir, e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        log.topics().stream().sorted(Comparator.comparing(Topic::name))
                .map(topic -> describeTopic(topic, requested))
                .filter(topic -> !topic.partitions().isEmpty())
                .forEach(result.topics()::add);
        return result.setErrorCode(Errors.NONE.code());
    }

    private static DescribeLogDirsTopic describeTopic(Topic topic, Map<String, Set<Integer>> requested) {
        DescribeLogDirsTopic result = new DescribeLogDirsTopic().setName(topic.name());
        Set<Integer> indexes = requested == null ? null : requested.getOrDefault(topic.name(), Set.of());
        for (int index = 0; index < topic.partitionCount(); index++) {
            if (indexes == null || indexes.contains(index)) {
                result.partitions().add(new DescribeLogDirsPartition().setPartitionIndex(index)
                        .setPartitionSize(topic.partition(index).sizeInBytes()).setOffsetLag(0L).setIsFutureKey(false));
            }
        }
        return result;
    }

    /** A volume too large for a long is reported as negative by some JDKs; Kafka answers Long.MAX_VALUE then. */
    private static long orMax(long bytes) {
        return bytes < 0 ? Long.MAX_VALUE : bytes;
    }
}
