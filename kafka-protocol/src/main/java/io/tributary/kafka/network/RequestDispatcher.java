package io.tributary.kafka.network;

/** Hands a decoded request to the handler of its API; called on the connection's event loop. */
@FunctionalInterface
public interface RequestDispatcher {
    void dispatch(RequestContext context);
}
