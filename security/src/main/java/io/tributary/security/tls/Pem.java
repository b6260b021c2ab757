package io.tributary.security.tls;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM blocks Kafka accepts: {@code CERTIFICATE}, {@code PRIVATE KEY} (PKCS#8) and
 * {@code ENCRYPTED PRIVATE KEY} (PKCS#8 encrypted with {@code ssl.key.password}).
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "DSA");

    private Pem() {
    }

    static List<Certificate> certificates(String text) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> result = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                result.add(factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
            }
        }
        return result;
    }

    /** The first private key in {@code text}, or {@code null} if there is none. */
    static PrivateKey privateKey(String text, char[] password) throws GeneralSecurityException, java.io.IOException {
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            if (label.equals("PRIVATE KEY")) {
                return pkcs8(new PKCS8EncodedKeySpec(decode(m.group(2))));
            }
            if (label.equals("ENCRYPTED PRIVATE KEY")) {
                if (password == null) {
                    throw new GeneralSecurityException("The PEM private key is encrypted: set ssl.key.password");
                }
                EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(decode(m.group(2)));
                SecretKeyFactory factory = SecretKeyFactory.getInstance(info.getAlgName());
                Cipher cipher = Cipher.getInstance(info.getAlgName());
                cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)),
                        info.getAlgParameters());
                return pkcs8(info.getKeySpec(cipher));
            }
            if (label.endsWith("PRIVATE KEY")) {
                throw new GeneralSecurityException("PEM block '" + label + "' is not supported: convert the key to PKCS#8"
                        + " (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY), as Kafka requires");
            }
        }
        return null;
    }

    private static PrivateKey pkcs8(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new InvalidKeySpecException("The PEM private key is none of " + KEY_ALGORITHMS);
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
    }
}
