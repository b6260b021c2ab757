package io.tributary.pipeline;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class OrderedOffersTest {
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    /** What the fake pipeline was offered, one byte per batch, in order; accepted ones only. */
    private final List<Byte> accepted = new ArrayList<>();
    private int refusalsLeft;
    private boolean closed;

    private final IngestPipeline ingest = (IngestPipeline) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {IngestPipeline.class}, (proxy, method, args) -> {
                if (!method.getName().equals("offer")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                if (closed) {
                    return OfferResult.CLOSED;
                }
                if (refusalsLeft > 0) {
                    refusalsLeft--;
                    return OfferResult.BACK_PRESSURED;
                }
                ByteBuffer batch = (ByteBuffer) args[1];
                accepted.add(batch.get(0));
                ((AppendCallback) args[args.length - 1]).onComplete(AppendResult.success(accepted.size() - 1, 0, 0));
                return OfferResult.ACCEPTED;
            });

    @AfterEach
    void stop() {
        thread.shutdownNow();
    }

    private CompletableFuture<Void> appendOnThread(OrderedOffers offers, int value) throws Exception {
        return thread.submit(() -> offers.append(null, ByteBuffer.wrap(new byte[] {(byte) value}))).get();
    }

    @Test
    void aBackPressuredBatchHoldsBackTheLaterOnesUntilItIsAccepted() throws Exception {
        // Given a pipeline whose ring refuses the next offer (and would take the one after it)
        OrderedOffers offers = new OrderedOffers(ingest, thread, 4);
        thread.submit(() -> refusalsLeft = 1).get();

        // When three batches are appended one after the other without waiting
        CompletableFuture<Void> first = appendOnThread(offers, 1);
        CompletableFuture<Void> second = appendOnThread(offers, 2);
        CompletableFuture<Void> third = appendOnThread(offers, 3);

        // Then all are stored, in the order they were appended, though the later ones came while the first waited
        CompletableFuture.allOf(first, second, third).get(10, TimeUnit.SECONDS);
        assertThat(thread.submit(() -> List.copyOf(accepted)).get()).containsExactly((byte) 1, (byte) 2, (byte) 3);
    }

    @Test
    void aBatchHeldBackByAFullRingIsInTheRingOnlyOnceTheRingTookIt() throws Exception {
        // Given a pipeline whose ring is full
        OrderedOffers offers = new OrderedOffers(ingest, thread, 4);
        thread.submit(() -> refusalsLeft = Integer.MAX_VALUE).get();

        // When a batch is offered
        OrderedOffers.Offered offered = thread.submit(() -> offers.offer(null, ByteBuffer.wrap(new byte[] {7}),
                Durability.FLUSH_POLICY)).get();

        // Then it is not in the ring while the ring is full, and is once the ring took it (it is stored then too)
        assertThat(offered.inRing()).isNotDone();
        assertThat(offered.stored()).isNotDone();
        thread.submit(() -> refusalsLeft = 0).get();
        offered.inRing().get(10, TimeUnit.SECONDS);
        assertThat(thread.submit(() -> List.copyOf(accepted)).get()).containsExactly((byte) 7);
        assertThat(offered.stored()).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void aClosedPipelineFailsTheAppend() throws Exception {
        OrderedOffers offers = new OrderedOffers(ingest, thread, 4);
        thread.submit(() -> closed = true).get();

        CompletableFuture<Void> append = appendOnThread(offers, 1);

        assertThat(append).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("the ingest pipeline is closed");
    }
}
