import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;
import io.tributary.delivery.share.*;
import java.util.*;

/** Engine heap after a share group consumed a backlog of N records of one partition, in 500-record fetches. */
public class EngineMemory {
    public static void main(String[] args) throws Exception {
        long backlog = Long.parseLong(args[0]);
        long empty = used();
        TopicPartition tp = new TopicPartition("t", 0);
        TopicMetadata topics = new TopicMetadata() {
            public int partitionCount(String t) { return 1; }
            public Collection<String> topicNames() { return List.of("t"); }
        };
        LogOffsets offsets = new LogOffsets() {
            public long logStartOffset(TopicPartition p) { return 0; }
            public long highWatermark(TopicPartition p) { return backlog; }
        };
        ShareEngine engine = ShareEngine.manual(ShareConfig.defaults().withAutoOffsetReset(ShareConfig.OffsetReset.EARLIEST),
                topics, offsets, System::currentTimeMillis);
        engine.heartbeat(new ShareHeartbeat.Request("g", "m", ShareHeartbeat.JOIN_EPOCH, List.of("t"), "c", "h"));
        long before = used();
        long maxUsed = 0;
        long acked = 0;
        // acquire the whole backlog into the window first (as far as it goes), then consume it
        while (true) {
            long next = engine.nextAcquirableOffset("g", tp);
            if (next < 0 || next >= backlog) break;
            List<AcquiredRange> got = engine.acquire("g", "m", tp, next, Math.min(backlog - 1, next + 499), 500, RecordFilter.ALL);
            for (AcquiredRange r : got) {
                engine.acknowledge("g", "m", tp, r.firstOffset(), r.lastOffset(), AcknowledgeType.ACCEPT);
                acked += r.count();
            }
            if (acked % 1_000_000 < 500) maxUsed = Math.max(maxUsed, used());
        }
        long after = used();
        System.out.printf("backlog=%d acked=%d heap_without_engine_KB=%.1f with_engine_and_group_KB=%.1f peak_during_KB=%.1f after_all_acked_KB=%.1f start=%d%n",
                backlog, acked, empty / 1e3, before / 1e3, maxUsed / 1e3, after / 1e3, engine.partition("g", tp).startOffset());
    }

    static long used() {
        for (int i = 0; i < 3; i++) { System.gc(); try { Thread.sleep(50); } catch (InterruptedException e) { } }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
