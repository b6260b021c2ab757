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
 * </pre>
 *
 * Sessions do not expire: SaslAuthenticate answers a session lifetime of 0, so clients never
 * re-authenticate (KIP-368 with {@code connections.max.reauth.ms} unset, Kafka's default).
 */
public final class SaslAuthenticator implements RequestDispatcher {
    private enum State { HANDSHAKE, EXCHANGE, AUTHENTICATED, FAILED }

    private final SaslMechanisms mechanisms;
    private final RequestDispatcher handlers;
    private final Identity identity;
    private State state = State.HANDSHAKE;
    private SaslServerSession session;
    private Principal principal;

    /** @param identity the connection's identity, given the principal once the exchange completes */
    public SaslAuthenticator(SaslMechanisms mechanisms, RequestDispatcher handlers, Identity identity) {
        this.mechanisms = mechanisms;
        this.handlers = handlers;
        this.identity = identity;
    }

    /** The authenticated principal, or {@code null} before authentication. */
    public Principal principal() {
        return principal;
    }

    @Override
    public void dispatch(RequestContext context) {
        KafkaRequest request = context.request();
        ApiKeys api = request.apiKey();
        if (state == State.AUTHENTICATED) {
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
        if (session.complete()) {
            principal = session.principal();
            identity.authenticated(principal);
            state = State.AUTHENTICATED;
            session = null;
        }
        context.respond(response.setErrorCode(Errors.NONE.code()).setAuthBytes(challenge).setSessionLifetimeMs(0));
    }
}
