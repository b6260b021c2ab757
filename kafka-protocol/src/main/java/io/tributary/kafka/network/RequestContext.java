package io.tributary.kafka.network;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.security.Principal;
import org.apache.kafka.common.protocol.ApiMessage;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One request in flight on one connection, as an API handler sees it: the decoded request, the
 * connection's event loop, and exactly one way to finish it. The finishing calls may come from
 * any thread; they hop to the event loop, and the connection writes responses in request order.
 * Once the listener has shut down its event loops, a late finish is dropped (logged at debug).
 */
public interface RequestContext {
    KafkaRequest request();

    /** The connection's event loop: handlers run here, and schedule timers and hand results back here. */
    EventLoop eventLoop();

    /**
     * Runs {@code task} on the event loop, from any thread; drops it (logged at debug) if the loop
     * has shut down, e.g. an append completing after the listener closed.
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the event loop after {@code delay}. An exception from a task given to
     * {@link #execute} or here closes the connection with one log line, so that a failing handler
     * cannot leave a request unanswered and the responses behind it stuck.
     */
    default ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return eventLoop().schedule(task, delay, unit);
    }

    SocketAddress remoteAddress();

    /** Whether the connection is still open, so a response would reach the client; any thread. */
    default boolean isOpen() {
        return true;
    }

    /** Who sent the request: the connection's authenticated principal, else {@code User:ANONYMOUS}. */
    Principal principal();

    /**
     * Takes a hold on the network frame this request was decoded from, so that views of it in the
     * decoded body stay valid after the request has finished (a timed-out produce whose append is
     * still in the ingest pipeline) or its connection has closed. Release it exactly once, when the
     * last view is no longer read. Only the APIs of {@link RequestDecoder#keepsFrameViews} have such
     * views; call this while handling the request, before finishing it. The default, for contexts
     * whose requests live on the heap, holds nothing.
     */
    default FrameHold holdFrame() {
        return FrameHold.NONE;
    }

    /**
     * Stops reading further requests from the connection for {@code ms} (a client over its quota,
     * KIP-219); responses still go out. Any thread. The default, for contexts without a connection,
     * does nothing.
     */
    default void throttle(long ms) {
    }

    /**
     * Whether the request's principal may READ {@code topic}. Authorization otherwise stays in front of the
     * handlers, which take refused resources out of the request (decision 0031); this is for the handlers that
     * also serve partitions the request does not name, a share session's (ShareFetch, ShareAcknowledge), which
     * Kafka authorizes again on every request (decision 0036). The default, without an authorizer: every topic.
     */
    default boolean mayReadTopic(String topic) {
        return true;
    }

    /** Finishes the request with {@code response} (the generated {@code *ResponseData}). */
    void respond(ApiMessage response);

    /** Finishes the request without a response (acks=0 produce); later responses no longer wait for it. */
    void respondNothing();

    /** Finishes the request by closing the connection once earlier responses are written; logs {@code reason}. */
    void closeConnection(String reason);
}
