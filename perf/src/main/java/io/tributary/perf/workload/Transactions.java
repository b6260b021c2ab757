package io.tributary.perf.workload;

import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import io.tributary.perf.cli.UsageException;
import io.tributary.perf.transport.Acks;
import java.time.Duration;
import java.util.List;

/**
 * Transactional produce as the options ask it: producer {@code i} of a run takes
 * {@linkplain #idOf transactional id} {@code idPrefix} (alone) or {@code idPrefix-i} (of several)
 * and commits about every {@code every}. As in Kafka's {@code kafka-producer-perf-test}, giving
 * either option turns transactions on, and an id without a duration commits every 3 s.
 *
 * @param idPrefix the transactional id, or the prefix of each producer's; null without transactions
 * @param every    how long each transaction stays open; null without transactions
 */
public record Transactions(String idPrefix, Duration every) {

    /** No transactions. */
    public static final Transactions NONE = new Transactions(null, null);

    private static final long DEFAULT_MS = 3_000;

    /** The options: {@code --transactional-id} and {@code --transaction-duration-ms}. */
    public static List<OptionSpec> options() {
        return List.of(
                OptionSpec.value("transactional-id", "ID", null,
                        "send in transactions with this transactional.id (ID-i for producer i of several)"),
                OptionSpec.value("transaction-duration-ms", "MS", "0",
                        "commit each transaction after MS ms (0: not transactional, or 3000 with --transactional-id)"));
    }

    /** What {@code o} asks for; a UsageException unless transactions go with {@code --acks all}. */
    public static Transactions parse(Options o) {
        long ms = o.longValue("transaction-duration-ms");
        String id = o.get("transactional-id");
        if (ms < 0) {
            throw new UsageException("--transaction-duration-ms must be >= 0");
        }
        if (ms == 0 && id == null) {
            return NONE;
        }
        if (Acks.parse(o.required("acks")) != Acks.ALL) {
            throw new UsageException("transactions need --acks all");
        }
        return new Transactions(id != null ? id : "tributary-perf-" + System.currentTimeMillis(),
                Duration.ofMillis(ms > 0 ? ms : DEFAULT_MS));
    }

    /** Whether producers send in transactions. */
    public boolean enabled() {
        return idPrefix != null;
    }

    /** The transactional id of producer {@code index} of {@code count}. */
    public String idOf(int index, int count) {
        return count == 1 ? idPrefix : idPrefix + "-" + index;
    }
}
