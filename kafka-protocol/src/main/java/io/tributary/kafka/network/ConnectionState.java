package io.tributary.kafka.network;

/**
 * Where a client connection is in its life.
 *
 * <pre>
 *                 request decoded                  last response written
 *  AWAITING_REQUEST ───────────────> PROCESSING ─────────────────────────> AWAITING_REQUEST
 *        │                             │   more requests decoded: stay (pipelining; reads pause
 *        │                             │   while {@link ConnectionHandler#MAX_IN_FLIGHT} requests or
 *        │                             │   socket.request.max.bytes of them are unanswered)
 *        │ bad frame size, unknown api, unsupported version, undecodable body,
 *        │ a handler asking to close, idle timeout, I/O error, peer close
 *        v                             v
 *      CLOSING ────────────────────────────> (channel closed: queued responses released)
 * </pre>
 */
public enum ConnectionState {
    /** Nothing in flight; waiting for the next frame. */
    AWAITING_REQUEST,
    /** One or more requests in flight; responses leave in request order. */
    PROCESSING,
    /** Closing: frames still arriving are dropped and late completions are ignored. */
    CLOSING
}
