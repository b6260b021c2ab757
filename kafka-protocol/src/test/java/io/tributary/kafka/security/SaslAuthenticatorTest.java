package io.tributary.kafka.security;

import io.netty.channel.EventLoop;
import io.tributary.kafka.network.Identity;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.security.Principal;
import io.tributary.security.sasl.SaslMechanisms;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** KIP-368 on one connection's SASL gate, with a clock the test moves. */
class SaslAuthenticatorTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_alice=\"alice-secret\" user_bob=\"bob-secret\";";

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<ApiKeys> handled = new ArrayList<>();
    private final Identity identity = new Identity();

    private SaslAuthenticator authenticator(String reauthMs) {
        SaslMechanisms mechanisms = SaslMechanisms.fromKafkaKeys(Map.of("sasl.enabled.mechanisms", "PLAIN",
                "sasl.jaas.config", JAAS, "connections.max.reauth.ms", reauthMs), "SASL_PLAINTEXT", null);
        return new SaslAuthenticator(mechanisms, context -> {
            handled.add(context.request().apiKey());
            context.respond(null);
        }, identity, nanos::get);
    }

    @Test
    void aSessionPastItsLifetimeIsClosedAtItsNextRequestUnlessItReauthenticated() {
        SaslAuthenticator gate = authenticator("1000");
        assertThat(login(gate, "alice", "alice-secret", 2).sessionLifetimeMs()).isEqualTo(1000);
        assertThat(send(gate, ApiKeys.METADATA, new MetadataRequestData()).closeReason).isNull();

        // Re-authenticating before the end gives a new lifetime
        advance(900);
        assertThat(login(gate, "alice", "alice-secret", 2).errorCode()).isZero();
        advance(900);
        assertThat(send(gate, ApiKeys.METADATA, new MetadataRequestData()).closeReason).isNull();
        assertThat(handled).containsExactly(ApiKeys.METADATA, ApiKeys.METADATA);

        // Then past it, the next request closes the connection without reaching the handlers
        advance(200);
        assertThat(send(gate, ApiKeys.METADATA, new MetadataRequestData()).closeReason).contains("expired");
        assertThat(handled).hasSize(2);
    }

    @Test
    void reauthenticationMustKeepThePrincipalAndAWrongPasswordFailsIt() {
        SaslAuthenticator gate = authenticator("1000");
        login(gate, "alice", "alice-secret", 2);

        SaslAuthenticateResponseData asBob = login(gate, "bob", "bob-secret", 2);
        assertThat(asBob.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(asBob.errorMessage()).contains("Cannot change principals");
        assertThat(identity.principal()).isEqualTo(Principal.user("alice"));
        assertThat(send(gate, ApiKeys.METADATA, new MetadataRequestData()).closeReason).isNotNull();

        SaslAuthenticator other = authenticator("1000");
        login(other, "alice", "alice-secret", 2);
        assertThat(login(other, "alice", "wrong", 2).errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
    }

    @Test
    void withoutALifetimeOrForAVersion0ClientSessionsDoNotExpire() {
        SaslAuthenticator unset = authenticator("0");
        assertThat(login(unset, "alice", "alice-secret", 2).sessionLifetimeMs()).isZero();
        SaslAuthenticator old = authenticator("1000");
        assertThat(login(old, "alice", "alice-secret", 0).sessionLifetimeMs()).isZero();

        advance(TimeUnit.HOURS.toMillis(1));

        assertThat(send(unset, ApiKeys.METADATA, new MetadataRequestData()).closeReason).isNull();
        assertThat(send(old, ApiKeys.METADATA, new MetadataRequestData()).closeReason).isNull();
    }

    private void advance(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private SaslAuthenticateResponseData login(SaslAuthenticator gate, String user, String password, int version) {
        SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) send(gate, ApiKeys.SASL_HANDSHAKE,
                new SaslHandshakeRequestData().setMechanism("PLAIN")).response;
        assertThat(handshake.errorCode()).isZero();
        byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return (SaslAuthenticateResponseData) send(gate, ApiKeys.SASL_AUTHENTICATE,
                new SaslAuthenticateRequestData().setAuthBytes(token), (short) version).response;
    }

    private Outcome send(SaslAuthenticator gate, ApiKeys api, ApiMessage body) {
        return send(gate, api, body, (short) 1);
    }

    private Outcome send(SaslAuthenticator gate, ApiKeys api, ApiMessage body, short version) {
        Outcome outcome = new Outcome(new KafkaRequest(new RequestHeader(api, version, "test", 1), body, version));
        gate.dispatch(outcome);
        return outcome;
    }

    /** A request whose finish is kept for the test; nothing here touches an event loop. */
    private static final class Outcome implements RequestContext {
        private final KafkaRequest request;
        ApiMessage response;
        String closeReason;

        Outcome(KafkaRequest request) {
            this.request = request;
        }

        @Override
        public KafkaRequest request() {
            return request;
        }

        @Override
        public EventLoop eventLoop() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public Principal principal() {
            return Principal.ANONYMOUS;
        }

        @Override
        public void respond(ApiMessage response) {
            this.response = response;
        }

        @Override
        public void respondNothing() {
        }

        @Override
        public void closeConnection(String reason) {
            this.closeReason = reason;
        }
    }
}
