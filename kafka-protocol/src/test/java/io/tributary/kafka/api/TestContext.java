package io.tributary.kafka.api;

import io.netty.channel.EventLoop;
import io.tributary.kafka.TestFrames;
import io.tributary.kafka.network.FrameHold;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.network.RequestDecoder;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A request context for handler tests: the outcome lands in a future; frame holds are counted. */
final class TestContext implements RequestContext {
    /** What the handler did: a response, nothing (acks=0), or a close with its reason. */
    record Outcome(ApiMessage response, String closeReason) {
    }

    private final KafkaRequest request;
    private final EventLoop loop;
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    /** Frame holds taken and not yet released. */
    final AtomicInteger openHolds = new AtomicInteger();
    /** Holds released more than once (each would free memory another hold still reads). */
    final AtomicInteger doubleReleases = new AtomicInteger();

    /** Encodes {@code body} with kafka-clients and decodes it as the connection would. */
    TestContext(ApiKeys key, short version, ApiMessage body, EventLoop loop) throws Exception {
        this.request = RequestDecoder.decode(TestFrames.payload(key, version, body, 1));
        this.loop = loop;
    }

    @Override
    public KafkaRequest request() {
        return request;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public FrameHold holdFrame() {
        openHolds.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                openHolds.decrementAndGet();
            } else {
                doubleReleases.incrementAndGet();
            }
        };
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public io.tributary.security.Principal principal() {
        return io.tributary.security.Principal.ANONYMOUS;
    }

    @Override
    public void respond(ApiMessage response) {
        complete(new Outcome(response, null));
    }

    @Override
    public void respondNothing() {
        complete(new Outcome(null, null));
    }

    @Override
    public void closeConnection(String reason) {
        complete(new Outcome(null, reason));
    }

    private void complete(Outcome value) {
        if (!outcome.complete(value)) {
            throw new IllegalStateException("finished twice");
        }
    }
}
