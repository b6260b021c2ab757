package io.tributary.kafka.share;

import io.netty.channel.EventLoop;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.security.Principal;
import org.apache.kafka.common.protocol.ApiMessage;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A request's context as another handler sees it when only part of the request is its business (the
 * consumer-group ids of a DeleteGroups, the non-group resources of a DescribeConfigs): the same connection,
 * a body with that part, and an answer that completes {@code result} instead of going to the client.
 */
record SubRequest<R extends ApiMessage>(RequestContext outer, ApiMessage body, CompletableFuture<R> result)
        implements RequestContext {
    @Override
    public KafkaRequest request() {
        return new KafkaRequest(outer.request().header(), body, outer.request().responseVersion());
    }

    @Override
    public Principal principal() {
        return outer.principal();
    }

    @Override
    public EventLoop eventLoop() {
        return outer.eventLoop();
    }

    @Override
    public void execute(Runnable task) {
        outer.execute(task);
    }

    @Override
    public SocketAddress remoteAddress() {
        return outer.remoteAddress();
    }

    @Override
    public boolean mayReadTopic(String topic) {
        return outer.mayReadTopic(topic);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void respond(ApiMessage response) {
        result.complete((R) response);
    }

    @Override
    public void respondNothing() {
        result.completeExceptionally(new IllegalStateException(body.getClass().getSimpleName() + " answered nothing"));
    }

    @Override
    public void closeConnection(String reason) {
        result.completeExceptionally(new IllegalStateException(reason));
    }
}
