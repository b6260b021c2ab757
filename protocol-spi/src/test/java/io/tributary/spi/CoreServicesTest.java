package io.tributary.spi;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.GroupState;
import io.tributary.delivery.group.GroupType;
import io.tributary.delivery.group.OffsetCommitRequest;
import io.tributary.delivery.group.OffsetCommitRequest.PartitionOffset;
import io.tributary.log.LogManagerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class CoreServicesTest {
    @TempDir
    Path dir;

    @Test
    void startsEveryServiceOverOneLogAndClosesThemInReverse() throws Exception {
        // Given the services started over an empty directory
        CoreServices services = CoreServices.start(config());

        // When they are used and closed
        CompletableFuture<String> readThread = new CompletableFuture<>();
        services.readExecutor().execute(() -> readThread.complete(Thread.currentThread().getName()));
        boolean offsetsTopicCreated = services.log().topic("__consumer_offsets").isPresent();
        var groups = services.groups().listGroups(Set.<GroupState>of(), Set.<GroupType>of());
        services.close();
        services.close();

        // Then the group coordinator opened its store in the shared log, reads ran on the read threads,
        // and the log was closed cleanly (after the pipeline), so the next start skips recovery
        assertThat(offsetsTopicCreated).isTrue();
        assertThat(groups).isEmpty();
        assertThat(readThread.get(5, TimeUnit.SECONDS)).startsWith("tributary-read-");
        assertThat(Files.exists(dir.resolve("clean-shutdown"))).isTrue();
        assertThatThrownBy(() -> services.readExecutor().execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aRestartSeesWhatTheGroupCoordinatorStored() throws Exception {
        // Given a group that committed an offset
        try (CoreServices services = CoreServices.start(config())) {
            services.log().createTopic("t", 1, Map.of());
            var committed = services.groups().commitOffsets(new OffsetCommitRequest("g", "", null, -1,
                    List.of(new PartitionOffset(new TopicPartition("t", 0), 42, -1, ""))));
            assertThat(committed.get(10, TimeUnit.SECONDS).values()).containsOnly(GroupError.NONE);
        }

        // When the services start again over the same directory
        try (CoreServices services = CoreServices.start(config())) {
            // Then the coordinator replayed it
            assertThat(services.groups().fetchOffsets("g", null, -1, null).offsets().values())
                    .singleElement().satisfies(o -> assertThat(o.offset()).isEqualTo(42));
        }
    }

    private CoreConfig config() {
        BrokerSettings settings = new BrokerSettings(1, "cluster", 1, true, 1 << 20, 60_000L, Map.of());
        return CoreConfig.builder(LogManagerConfig.builder(dir).build(), settings).readThreads(2).build();
    }
}
