package io.tributary.kafka.network;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.security.Principal;
import org.apache.kafka.common.protocol.ApiMessage;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A request context that hands every call to another one; a gate in front of the handlers extends it
 * and overrides only what it changes (usually how the answer goes out), so each new method of
 * {@link RequestContext} is forwarded in one place.
 */
public abstract class ForwardingRequestContext implements RequestContext {
    protected final RequestContext delegate;

    protected ForwardingRequestContext(RequestContext delegate) {
        this.delegate = delegate;
    }

    @Override
    public KafkaRequest request() {
        return delegate.request();
    }

    @Override
    public EventLoop eventLoop() {
        return delegate.eventLoop();
    }

    @Override
    public void execute(Runnable task) {
        delegate.execute(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return delegate.schedule(task, delay, unit);
    }

    @Override
    public SocketAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public Principal principal() {
        return delegate.principal();
    }

    @Override
    public FrameHold holdFrame() {
        return delegate.holdFrame();
    }

    @Override
    public void throttle(long ms) {
        delegate.throttle(ms);
    }

    @Override
    public boolean mayReadTopic(String topic) {
        return delegate.mayReadTopic(topic);
    }

    @Override
    public void respond(ApiMessage response) {
        delegate.respond(response);
    }

    @Override
    public void respondNothing() {
        delegate.respondNothing();
    }

    @Override
    public void closeConnection(String reason) {
        delegate.closeConnection(reason);
    }
}
