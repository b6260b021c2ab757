package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: decodes each frame from {@link FrameDecoder}, hands it to the
 * {@link RequestDispatcher}, and writes the responses strictly in request order, whatever order
 * the handlers finish in (a produce waiting for its append holds back the fetch behind it). The
 * states are those of {@link ConnectionState}; everything here runs on the channel's event loop.
 *
 * <p>Requests are decoded straight from the pooled network frame, without a copy. A request
 * whose body holds no views of the frame ({@link RequestDecoder#keepsFrameViews}) gives it back
 * at once; a produce keeps it until it finishes, and its appends hold it (through
 * {@link RequestContext#holdFrame()}) until the ingest pipeline has written them, which writes
 * the record batches to the log straight from that direct memory. Every frame is released exactly
 * once however its request ends: answered, failed, timed out, or dropped with its connection.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    /** Requests decoded but not yet answered above which the connection stops reading. */
    public static final int MAX_IN_FLIGHT = 32;
    /**
     * Outbound bytes queued on a connection (file regions of fetch responses counted by their length,
     * see {@link #SIZE_ESTIMATOR}) above which it stops writing responses and reading requests, and below
     * which it starts again: 64 KiB and 32 KiB, Netty's defaults, made explicit here.
     */
    public static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    /**
     * Counts a {@link FileRegion} by its length (Netty's default estimator counts it as nothing), so the
     * fetch responses queued for a slow reader over PLAINTEXT count toward {@link #WRITE_BUFFER} too.
     */
    public static final MessageSizeEstimator SIZE_ESTIMATOR = () -> message -> {
        if (message instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (message instanceof FileRegion region) {
            return (int) Math.min(Integer.MAX_VALUE, region.count() - region.transferred());
        }
        return 8;
    };

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private final RequestDispatcher dispatcher;
    /** Closing lines a client can cause at will (bad requests, failed TLS, idle): the listener's budget. */
    private final RateLimitedLog warnings;
    private final long maxInFlightBytes;
    private final Identity identity;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private long inFlightBytes;
    private ChannelHandlerContext ctx;
    private ConnectionState state = ConnectionState.AWAITING_REQUEST;
    /** Until when (System.nanoTime) a quota keeps the connection from being read; 0 when it does not. */
    private long mutedUntilNanos;

    /**
     * @param maxInFlightBytes request bytes held by unanswered requests above which the connection
     *                         stops reading (normally {@code socket.request.max.bytes}), so one client
     *                         pipelining large produce requests cannot hold more than about two of them
     */
    public ConnectionHandler(RequestDispatcher dispatcher, long maxInFlightBytes, RateLimitedLog warnings) {
        this(dispatcher, maxInFlightBytes, new Identity(), warnings);
    }

    /**
     * @param identity who the connection is, as TLS or SASL establish it; its requests carry it
     * @param warnings the listener's budget of WARN lines clients can cause
     */
    public ConnectionHandler(RequestDispatcher dispatcher, long maxInFlightBytes, Identity identity,
                             RateLimitedLog warnings) {
        this.dispatcher = dispatcher;
        this.warnings = warnings;
        this.maxInFlightBytes = maxInFlightBytes;
        this.identity = identity;
    }

    /** For tests and diagnostics. */
    public ConnectionState state() {
        return state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (state == ConnectionState.CLOSING) {
            frame.release();
            return;
        }
        int bytes = frame.readableBytes();
        KafkaRequest request;
        try {
            request = RequestDecoder.decode(frame.nioBuffer());
        } catch (RequestRejectedException e) {
            frame.release();
            close("rejected request: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        ByteBuf kept = frame;
        if (!RequestDecoder.keepsFrameViews(request.apiKey())) {
            frame.release();
            kept = null;
        }
        InFlight entry = new InFlight(request, bytes, kept);
        inFlight.addLast(entry);
        inFlightBytes += entry.bytes;
        state = ConnectionState.PROCESSING;
        if (overloaded()) {
            ctx.channel().config().setAutoRead(false);
        }
        try {
            dispatcher.dispatch(entry);
        } catch (RuntimeException e) {
            LOG.error("Closing connection from {}: handler of {} v{} failed", remoteAddress(),
                    request.apiName(), request.apiVersion(), e);
            closeNow();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && state == ConnectionState.AWAITING_REQUEST) {
            close("idle for longer than connections.max.idle.ms");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = ConnectionState.CLOSING;
        dropInFlight();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException tls) {
            warnings.warn(LOG, "TLS failed", "Closing connection from {}: TLS failed: {}", remoteAddress(), tls.toString());
        } else if (cause instanceof IOException) {
            LOG.debug("Closing connection from {}: {}", remoteAddress(), cause.toString());
        } else {
            LOG.warn("Closing connection from {}: {}", remoteAddress(), cause.toString(), cause);
        }
        closeNow();
    }

    private void close(String reason) {
        warnings.warn(LOG, RateLimitedLog.kindOf(reason), "Closing connection from {}: {}", remoteAddress(), reason);
        closeNow();
    }

    private void closeNow() {
        state = ConnectionState.CLOSING;
        dropInFlight();
        ctx.close();
    }

    /** Forgets every unanswered request and gives up the connection's holds on their frames. */
    private void dropInFlight() {
        for (InFlight entry : inFlight) {
            entry.releaseFrame();
        }
        inFlight.clear();
        inFlightBytes = 0;
    }

    private SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    /**
     * A client that stops reading its socket fills the connection's outbound buffer; past its high water
     * mark ({@link #WRITE_BUFFER}) the channel turns unwritable and no further response is written nor
     * request read until it drains, so a stalled reader holds at most one response beyond the mark and
     * its {@link #MAX_IN_FLIGHT} unanswered requests, as Kafka mutes such a connection.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Writes every finished response at the head of the queue; stops at the first unfinished one, or
     * when the outbound buffer is past its high water mark (the rest go when it drains).
     */
    private void drain() {
        boolean wrote = false;
        while (state != ConnectionState.CLOSING && !inFlight.isEmpty() && inFlight.peekFirst().done
                && ctx.channel().isWritable()) {
            InFlight head = inFlight.pollFirst();
            inFlightBytes -= head.bytes;
            if (head.closeReason != null) {
                if (wrote) {
                    ctx.flush();
                }
                close(head.closeReason);
                return;
            }
            if (head.response != null) {
                wrote |= write(head);
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (state != ConnectionState.CLOSING && inFlight.isEmpty()) {
            state = ConnectionState.AWAITING_REQUEST;
        }
        if (state != ConnectionState.CLOSING && !overloaded() && !muted() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private boolean muted() {
        return mutedUntilNanos != 0 && System.nanoTime() - mutedUntilNanos < 0;
    }

    /** Stops reading for {@code ms} (KIP-219: a client over its quota is answered at once, then not read). */
    private void mute(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        if (mutedUntilNanos != 0 && until - mutedUntilNanos <= 0) {
            return;
        }
        mutedUntilNanos = until;
        ctx.channel().config().setAutoRead(false);
        ctx.channel().eventLoop().schedule(() -> {
            if (mutedUntilNanos == until) {
                mutedUntilNanos = 0;
                drain();
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    private boolean overloaded() {
        return inFlight.size() >= MAX_IN_FLIGHT || inFlightBytes >= maxInFlightBytes || !ctx.channel().isWritable();
    }

    private boolean write(InFlight entry) {
        KafkaRequest request = entry.request;
        List<Object> parts;
        try {
            parts = ResponseEncoder.encode(ctx.alloc(), request.header().correlationId(),
                    request.responseHeaderVersion(), entry.response, request.responseVersion());
        } catch (RuntimeException e) {
            LOG.error("Closing connection from {}: cannot encode the {} v{} response", remoteAddress(),
                    request.apiName(), request.responseVersion(), e);
            closeNow();
            return false;
        }
        for (Object part : parts) {
            ctx.write(part, ctx.voidPromise());
        }
        return true;
    }

    /**
     * One unanswered request. For an API whose body holds views of its frame (produce) the entry
     * keeps the frame until the request finishes or the connection drops it; handlers that need
     * the views longer (appends still in the pipeline) take their own {@link FrameHold}s.
     */
    private final class InFlight implements RequestContext, FrameHold {
        private final KafkaRequest request;
        private final int bytes;
        private final ByteBuf frame;
        private boolean ownHold;
        private boolean done;
        private ApiMessage response;
        private String closeReason;

        InFlight(KafkaRequest request, int bytes, ByteBuf frame) {
            this.request = request;
            this.bytes = bytes;
            this.frame = frame;
            this.ownHold = frame != null;
        }

        /** The connection's own hold; released once, when the request finishes or is dropped. */
        void releaseFrame() {
            if (ownHold) {
                ownHold = false;
                frame.release();
            }
        }

        @Override
        public FrameHold holdFrame() {
            if (frame == null) {
                return FrameHold.NONE;
            }
            if (!ownHold) {
                throw new IllegalStateException("holdFrame() after " + request.header() + " finished");
            }
            frame.retain();
            return this;
        }

        /** A handler's hold (see {@link #holdFrame}); any thread. */
        @Override
        public void release() {
            frame.release();
        }

        @Override
        public KafkaRequest request() {
            return request;
        }

        @Override
        public EventLoop eventLoop() {
            return ctx.channel().eventLoop();
        }

        @Override
        public SocketAddress remoteAddress() {
            return ctx.channel().remoteAddress();
        }

        @Override
        public boolean isOpen() {
            return ctx.channel().isActive();
        }

        @Override
        public io.tributary.security.Principal principal() {
            return identity.principal();
        }

        @Override
        public void execute(Runnable task) {
            try {
                eventLoop().execute(() -> guarded(task));
            } catch (RejectedExecutionException e) {
                LOG.debug("Dropping a {} task for {}: the listener is shut down", request.apiName(), remoteAddress());
            }
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            return eventLoop().schedule(() -> guarded(task), delay, unit);
        }

        private void guarded(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Closing connection from {}: the {} v{} handler failed", remoteAddress(),
                        request.apiName(), request.apiVersion(), e);
                if (state != ConnectionState.CLOSING) {
                    closeNow();
                }
            }
        }

        @Override
        public void respond(ApiMessage response) {
            finish(response, null);
        }

        @Override
        public void throttle(long ms) {
            if (ms <= 0) {
                return;
            }
            EventLoop loop = eventLoop();
            if (!loop.inEventLoop()) {
                try {
                    loop.execute(() -> throttle(ms));
                } catch (RejectedExecutionException e) {
                    LOG.debug("Not throttling {}: the listener is shut down", remoteAddress());
                }
                return;
            }
            if (state != ConnectionState.CLOSING) {
                mute(ms);
            }
        }

        @Override
        public void respondNothing() {
            finish(null, null);
        }

        @Override
        public void closeConnection(String reason) {
            finish(null, reason);
        }

        private void finish(ApiMessage response, String closeReason) {
            EventLoop loop = eventLoop();
            if (!loop.inEventLoop()) {
                try {
                    loop.execute(() -> finish(response, closeReason));
                } catch (RejectedExecutionException e) {
                    LOG.debug("Dropping the {} response for {}: the listener is shut down", request.apiName(),
                            remoteAddress());
                }
                return;
            }
            if (done) {
                throw new IllegalStateException("Request " + request.header() + " finished twice");
            }
            done = true;
            releaseFrame();
            this.response = response;
            this.closeReason = closeReason;
            drain();
        }
    }
}
