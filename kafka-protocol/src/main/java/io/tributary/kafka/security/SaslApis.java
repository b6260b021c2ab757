package io.tributary.kafka.security;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.security.sasl.ScramCredentialStore;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Registers the security APIs. The shared SaslHandshake and SaslAuthenticate handlers only see
 * requests that come out of place — on a listener without SASL, or after authentication — and
 * answer ILLEGAL_SASL_STATE, as Kafka does; on SASL listeners the {@link SaslAuthenticator} of each
 * connection takes them before.
 */
public final class SaslApis {
    private SaslApis() {
    }

    /**
     * @param authorizer the broker's authorizer, or {@code null} when none is configured (the ACL APIs
     *                   then answer SECURITY_DISABLED)
     * @param admin      the listener's admin thread, which writes the credential and ACL files
     */
    public static void register(Map<ApiKeys, ApiHandler> handlers, ScramCredentialStore scram,
                                io.tributary.security.acl.Authorizer authorizer, Executor admin) {
        handlers.put(ApiKeys.CREATE_ACLS, AclHandlers.create(authorizer, admin));
        handlers.put(ApiKeys.DESCRIBE_ACLS, AclHandlers.describe(authorizer));
        handlers.put(ApiKeys.DELETE_ACLS, AclHandlers.delete(authorizer, admin));
        handlers.put(ApiKeys.SASL_HANDSHAKE, context -> context.respond(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code()).setMechanisms(List.of())));
        handlers.put(ApiKeys.SASL_AUTHENTICATE, context -> context.respond(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SaslAuthenticate request received after successful authentication or on a "
                        + "listener without SASL").setAuthBytes(new byte[0])));
        handlers.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, new DescribeUserScramCredentialsHandler(scram));
        handlers.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, new AlterUserScramCredentialsHandler(scram, admin));
    }
}
