package io.tributary.kafka.security;

import io.tributary.kafka.network.Identity;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.network.RequestDispatcher;
import io.tributary.security.Principal;
import io.tributary.security.sasl.SaslFailure;
import io.tributary.security.sasl.SaslMechanisms;
import io.tributary.security.sasl.SaslServerSession;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The SASL gate of one connection on a {@code SASL_PLAINTEXT} or {@code SASL_SSL} listener, in front
 * of the listener's shared handlers. Runs on the connection's event loop only.
 *
 * <pre>
 *            SaslHandshake(enabled mechanism)          SaslAuthenticate ... (exchange complete)
 *  HANDSHAKE ───────────────────────────────> EXCHANGE ──────────────────────────────────────> AUTHENTICATED
 *     │  ApiVersions: answered                   │ refused: SASL_AUTHENTICATION_FAILED             every request goes
 *     │  anything else: connection closed        v                                                 to the handlers
 *     │  unknown mechanism: UNSUPPORTED_SASL_MECHANISM, v0 handshake: UNSUPPORTED_VERSION ──> FAILED (next request closes)
 *
 *  AUTHENTICATED ── SaslHandshake(same mechanism), session with a lifetime ──> EXCHANGE (re-authentication)
 *     │ any other request after the session expired: connection closed
 * </pre>
 *
 * <p>Re-authentication (KIP-368): with {@code connections.max.reauth.ms} set, a SaslAuthenticate at v1
 * or later that completes an exchange answers that lifetime, and the client must authenticate again
 * on the same connection before it runs out — a SaslHandshake with the same mechanism, then the
 * exchange, as the same principal — or the connection is closed at its next other request, as in
 * Kafka. Requests keep going to the handlers as the old principal until the new exchange completes;
 * a failed re-authentication (a changed password, another user) answers SASL_AUTHENTICATION_FAILED
 * and the connection is closed at its next request. Clients that authenticate with SaslAuthenticate
 * v0 predate KIP-368 and are given no lifetime. With the key unset (Kafka's default) sessions last.
 */
public final class SaslAuthenticator implements RequestDispatcher {
    private enum State { HANDSHAKE, EXCHANGE, AUTHENTICATED, FAILED }

    private final SaslMechanisms mechanisms;
    private final RequestDispatcher handlers;
    private final Identity identity;
    private final LongSupplier nanoClock;
    private State state = State.HANDSHAKE;
    /** When the session runs out (System.nanoTime), or 0 if it lasts for ever. */
    private long expiresAtNanos;
    /** The mechanism of the completed authentication; a re-authentication must use it too. */
    private String mechanism;
    private SaslServerSession session;
    private Principal principal;

    /** @param identity the connection's identity, given the principal once the exchange completes */
    public SaslAuthenticator(SaslMechanisms mechanisms, RequestDispatcher handlers, Identity identity) {
        this(mechanisms, handlers, identity, System::nanoTime);
    }

    /** @param nanoClock the time sessions expire by, {@code System::nanoTime} but in tests */
    SaslAuthenticator(SaslMechanisms mechanisms, RequestDispatcher handlers, Identity identity, LongSupplier nanoClock) {
        this.mechanisms = mechanisms;
        this.handlers = handlers;
        this.identity = identity;
        this.nanoClock = nanoClock;
    }

    /** The authenticated principal, or {@code null} before authentication. */
    public Principal principal() {
        return principal;
    }

    @Override
    public void dispatch(RequestContext context) {
        KafkaRequest request = context.request();
        ApiKeys api = request.apiKey();
        if (state == State.AUTHENTICATED && api == ApiKeys.SASL_HANDSHAKE && expiresAtNanos != 0) {
            reauthenticate(context, (SaslHandshakeRequestData) request.body());
        } else if (state == State.AUTHENTICATED && expiresAtNanos != 0 && nanoClock.getAsLong() - expiresAtNanos > 0) {
            state = State.FAILED;
            context.closeConnection("SASL session of " + principal + " expired without re-authentication"
                    + " (connections.max.reauth.ms)");
        } else if (state == State.AUTHENTICATED) {
            handlers.dispatch(context);
        } else if (state == State.FAILED) {
            context.closeConnection("request after failed SASL authentication");
        } else if (api == ApiKeys.API_VERSIONS && state == State.HANDSHAKE) {
            handlers.dispatch(context);
        } else if (api == ApiKeys.SASL_HANDSHAKE && state == State.HANDSHAKE) {
            handshake(context, (SaslHandshakeRequestData) request.body());
        } else if (api == ApiKeys.SASL_AUTHENTICATE && state == State.EXCHANGE) {
            authenticate(context, (SaslAuthenticateRequestData) request.body());
        } else {
            context.closeConnection("unexpected " + request.apiName() + " request during SASL authentication (" + state + ")");
            state = State.FAILED;
        }
    }

    private void reauthenticate(RequestContext context, SaslHandshakeRequestData request) {
        if (!request.mechanism().equals(mechanism)) {
            state = State.FAILED;
            context.respond(new SaslHandshakeResponseData().setMechanisms(List.of(mechanism))
                    .setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()));
            return;
        }
        handshake(context, request);
    }

    private void handshake(RequestContext context, SaslHandshakeRequestData request) {
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(mechanisms.enabled());
        if (context.request().apiVersion() == 0) {
            // v0 would continue with raw SASL tokens outside Kafka frames; every current client sends v1.
            state = State.FAILED;
            context.respond(response.setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
            return;
        }
        session = mechanisms.newSession(request.mechanism());
        if (session == null) {
            state = State.FAILED;
            context.respond(response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()));
            return;
        }
        state = State.EXCHANGE;
        context.respond(response.setErrorCode(Errors.NONE.code()));
    }

    private void authenticate(RequestContext context, SaslAuthenticateRequestData request) {
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData();
        byte[] challenge;
        try {
            challenge = session.evaluate(request.authBytes());
        } catch (SaslFailure e) {
            state = State.FAILED;
            context.respond(response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(e.getMessage()).setAuthBytes(new byte[0]));
            return;
        }
        long lifetimeMs = 0;
        if (session.complete()) {
            Principal authenticated = session.principal();
            if (principal != null && !principal.equals(authenticated)) {
                state = State.FAILED;
                context.respond(response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                        .setErrorMessage("Cannot change principals during re-authentication from " + principal
                                + ": " + authenticated).setAuthBytes(new byte[0]));
                return;
            }
            principal = authenticated;
            identity.authenticated(principal);
            state = State.AUTHENTICATED;
            mechanism = session.mechanism();
            session = null;
            if (context.request().apiVersion() >= 1 && mechanisms.sessionLifetimeMs() > 0) {
                lifetimeMs = mechanisms.sessionLifetimeMs();
                expiresAtNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(lifetimeMs);
                if (expiresAtNanos == 0) {
                    expiresAtNanos = 1;
                }
            }
        }
        context.respond(response.setErrorCode(Errors.NONE.code()).setAuthBytes(challenge).setSessionLifetimeMs(lifetimeMs));
    }
}
