package io.tributary.transactions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Check requests meeting long polls, on the coordinator's own kind of thread. */
@Timeout(60)
class HalfCheckQueueTest {
    private static final long HOUR_MS = 3_600_000L;

    private final ScheduledThreadPoolExecutor thread = HalfTransactionCoordinator.newThread();
    private final HalfCheckQueue checks = new HalfCheckQueue(thread);

    @AfterEach
    void stop() {
        thread.shutdownNow();
    }

    @Test
    void pollsAnsweredByChecksLeaveNothingScheduled() throws Exception {
        // Given 500 polls waiting up to an hour
        List<CompletableFuture<List<HalfCheckRequest>>> polls = onThread(() -> {
            List<CompletableFuture<List<HalfCheckRequest>>> waiting = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                waiting.add(checks.poll("group", HOUR_MS, () -> true));
            }
            return waiting;
        });
        assertThat(thread.getQueue()).hasSize(500);

        // When a check answers each of them
        onThread(() -> {
            for (int i = 0; i < 500; i++) {
                checks.ask(check("txn-" + i));
            }
            return null;
        });

        // Then every poll has its check and no max-wait timer is left on the thread
        assertThat(polls).allSatisfy(poll -> assertThat(poll).isCompletedWithValueMatching(c -> c.size() == 1));
        assertThat(thread.getQueue()).isEmpty();
    }

    @Test
    void aPollNotAnsweredExpiresEmpty() throws Exception {
        CompletableFuture<List<HalfCheckRequest>> poll = onThread(() -> checks.poll("group", 10, () -> true));

        assertThat(poll.get(30, TimeUnit.SECONDS)).isEmpty();
        onThread(() -> {
            checks.ask(check("later"));
            return null;
        });
        assertThat(onThread(() -> checks.poll("group", HOUR_MS, () -> true)))
                .isCompletedWithValueMatching(c -> c.size() == 1 && c.get(0).transactionId().equals("later"));
    }

    private static HalfCheckRequest check(String transactionId) {
        return new HalfCheckRequest("group", transactionId, "t", 0, null, 1);
    }

    private <T> T onThread(java.util.concurrent.Callable<T> action) throws Exception {
        return thread.submit(action).get(30, TimeUnit.SECONDS);
    }
}
