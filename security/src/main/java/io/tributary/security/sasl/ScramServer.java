package io.tributary.security.sasl;

import io.tributary.security.Principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of SCRAM (RFC 5802), without channel binding, as Kafka runs it:
 * <pre>
 *  client-first  n,[a=authzid],n=user,r=cnonce          ─> server-first  r=cnonce+snonce,s=salt,i=iterations
 *  client-final  c=biws,r=cnonce+snonce,p=proof         ─> server-final  v=server-signature
 * </pre>
 * The proof is checked against the stored key; the password itself is never known to the server.
 */
final class ScramServer implements SaslServerSession {
    private static final Pattern CLIENT_FIRST = Pattern.compile(
            "(?<gs2>n,(?:a=(?<authzid>[^,]*))?,)(?<bare>n=(?<user>[^,]*),r=(?<nonce>[^,]+)(?:,.*)?)");
    private static final Pattern CLIENT_FINAL = Pattern.compile(
            "(?<withoutProof>c=(?<channel>[^,]*),r=(?<nonce>[^,]+)(?:,[^p][^,]*)*),p=(?<proof>[^,]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { CLIENT_FIRST, CLIENT_FINAL, COMPLETE, FAILED }

    private final ScramMechanism mechanism;
    private final Function<String, ScramCredential> credentials;
    private State state = State.CLIENT_FIRST;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String user;
    private ScramCredential credential;

    /** @param credentials the stored credential of a user for this mechanism, or {@code null} */
    ScramServer(ScramMechanism mechanism, Function<String, ScramCredential> credentials) {
        this.mechanism = mechanism;
        this.credentials = credentials;
    }

    @Override
    public String mechanism() {
        return mechanism.mechanismName();
    }

    @Override
    public byte[] evaluate(byte[] response) throws SaslFailure {
        String message = new String(response, StandardCharsets.UTF_8);
        try {
            return switch (state) {
                case CLIENT_FIRST -> clientFirst(message);
                case CLIENT_FINAL -> clientFinal(message);
                default -> throw new SaslFailure("Unexpected SCRAM message in state " + state);
            };
        } catch (SaslFailure e) {
            state = State.FAILED;
            throw e;
        }
    }

    private byte[] clientFirst(String message) throws SaslFailure {
        Matcher m = CLIENT_FIRST.matcher(message);
        if (!m.matches()) {
            throw new SaslFailure("Invalid SCRAM client first message");
        }
        gs2Header = m.group("gs2");
        clientFirstBare = m.group("bare");
        user = unescape(m.group("user"));
        String authzid = m.group("authzid");
        if (authzid != null && !authzid.isEmpty() && !unescape(authzid).equals(user)) {
            throw new SaslFailure("Authentication failed: Client requested an authorization id that is different from username");
        }
        credential = credentials.apply(user);
        if (credential == null) {
            throw invalidCredentials();
        }
        byte[] serverNonce = new byte[24];
        RANDOM.nextBytes(serverNonce);
        nonce = m.group("nonce") + Base64.getEncoder().withoutPadding().encodeToString(serverNonce)
                .replace('+', '-').replace('/', '_');
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        state = State.CLIENT_FINAL;
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] clientFinal(String message) throws SaslFailure {
        Matcher m = CLIENT_FINAL.matcher(message);
        if (!m.matches()) {
            throw new SaslFailure("Invalid SCRAM client final message");
        }
        if (!m.group("nonce").equals(nonce)) {
            throw new SaslFailure("Invalid SCRAM client final message: nonce mismatch");
        }
        String channel = new String(decode(m.group("channel")), StandardCharsets.UTF_8);
        if (!channel.equals(gs2Header)) {
            throw new SaslFailure("Invalid SCRAM client final message: channel binding mismatch");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + m.group("withoutProof"))
                .getBytes(StandardCharsets.UTF_8);
        byte[] proof = decode(m.group("proof"));
        byte[] clientSignature = mechanism.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw invalidCredentials();
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(mechanism.hash(clientKey), credential.storedKey())) {
            throw invalidCredentials();
        }
        state = State.COMPLETE;
        byte[] serverSignature = mechanism.hmac(credential.serverKey(), authMessage);
        return ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8);
    }

    private SaslFailure invalidCredentials() {
        return new SaslFailure("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + mechanism.mechanismName());
    }

    private static byte[] decode(String base64) throws SaslFailure {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SaslFailure("Invalid SCRAM message: bad base64");
        }
    }

    /** RFC 5802 saslname: {@code =2C} is ',' and {@code =3D} is '='. */
    private static String unescape(String name) {
        return name.replace("=2C", ",").replace("=3D", "=");
    }

    @Override
    public boolean complete() {
        return state == State.COMPLETE;
    }

    @Override
    public Principal principal() {
        if (state != State.COMPLETE) {
            throw new IllegalStateException("SCRAM exchange not complete");
        }
        return Principal.user(user);
    }
}
