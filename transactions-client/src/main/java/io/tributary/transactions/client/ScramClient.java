package io.tributary.transactions.client;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The client side of SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, as Kafka runs it: no channel binding, no
 * authorization id), one instance per exchange:
 *
 * <pre>
 *  client-first  n,,n=USER,r=CNONCE
 *  server-first  r=CNONCE+SNONCE,s=SALT,i=ITERATIONS
 *  client-final  c=biws,r=CNONCE+SNONCE,p=base64(ClientKey XOR HMAC(H(ClientKey), AuthMessage))
 *  server-final  v=base64(HMAC(ServerKey, AuthMessage))      (checked: the server knew the password too)
 * </pre>
 * where SaltedPassword = PBKDF2-HMAC(password, SALT, ITERATIONS), ClientKey = HMAC(SaltedPassword, "Client Key"),
 * ServerKey = HMAC(SaltedPassword, "Server Key") and AuthMessage = client-first without "n,,", server-first and
 * client-final without its proof, joined by commas.
 */
final class ScramClient {
    private final String hmac;
    private final String digest;
    private final int keyBits;
    private final String username;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramClient(String mechanism, String username, String password) {
        boolean sha512 = mechanism.equals("SCRAM-SHA-512");
        this.hmac = sha512 ? "HmacSHA512" : "HmacSHA256";
        this.digest = sha512 ? "SHA-512" : "SHA-256";
        this.keyBits = sha512 ? 512 : 256;
        this.username = username;
        this.password = password;
        byte[] nonce = new byte[24];
        new SecureRandom().nextBytes(nonce);
        this.clientNonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    byte[] clientFirst() {
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if the server's message is malformed or its nonce not ours */
    byte[] clientFinal(byte[] serverFirstBytes) throws GeneralSecurityException {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        Map<String, String> fields = fields(serverFirst);
        String nonce = fields.get("r");
        if (nonce == null || !nonce.startsWith(clientNonce) || fields.get("s") == null || fields.get("i") == null) {
            throw new IllegalArgumentException("bad SCRAM server-first message");
        }
        byte[] salt = Base64.getDecoder().decode(fields.get("s"));
        int iterations = Integer.parseInt(fields.get("i"));
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2With" + hmac)
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, keyBits)).getEncoded();
        byte[] clientKey = mac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance(digest).digest(clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] signature = mac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        expectedServerSignature = mac(mac(salted, "Server Key"), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the server-final message proves the server knew the password. */
    boolean serverVerified(byte[] serverFinal) {
        String v = fields(new String(serverFinal, StandardCharsets.UTF_8)).get("v");
        return v != null && MessageDigest.isEqual(Base64.getDecoder().decode(v), expectedServerSignature);
    }

    private byte[] mac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(key, hmac));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> fields(String message) {
        Map<String, String> fields = new HashMap<>();
        for (String part : message.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                fields.put(part.substring(0, 1), part.substring(2));
            }
        }
        return fields;
    }
}
