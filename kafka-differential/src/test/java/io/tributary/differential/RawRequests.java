package io.tributary.differential;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One connection (plaintext, or SASL_PLAINTEXT after {@link #loginPlain}) that sends a request at a chosen version and reads its response: for scenarios
 * that need versions or fields the clients do not expose (e.g. EndTxn v5's producer id and epoch). Messages
 * are kafka-clients' generated classes; nothing is hand-encoded.
 */
final class RawRequests implements AutoCloseable {
    private final Socket socket;
    private int correlationId;

    RawRequests(String bootstrapServers) throws IOException {
        String first = bootstrapServers.split(",")[0];
        int colon = first.lastIndexOf(':');
        socket = new Socket();
        socket.connect(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                10_000);
        socket.setSoTimeout(30_000);
    }

    /**
     * Authenticates the connection with SASL PLAIN (SaslHandshake v1, then SaslAuthenticate v2, KIP-152), for a
     * SASL_PLAINTEXT listener; throws if either step is answered with an error.
     */
    RawRequests loginPlain(String user, String password) throws IOException {
        SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) send(ApiKeys.SASL_HANDSHAKE, (short) 1,
                new SaslHandshakeRequestData().setMechanism("PLAIN"));
        if (handshake.errorCode() != 0) {
            throw new IOException("SaslHandshake answered " + Errors.forCode(handshake.errorCode()));
        }
        byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        SaslAuthenticateResponseData authenticated = (SaslAuthenticateResponseData) send(ApiKeys.SASL_AUTHENTICATE,
                (short) 2, new SaslAuthenticateRequestData().setAuthBytes(token));
        if (authenticated.errorCode() != 0) {
            throw new IOException("SaslAuthenticate answered " + Errors.forCode(authenticated.errorCode()) + ": "
                    + authenticated.errorMessage());
        }
        return this;
    }

    /** Sends {@code body} as {@code key} at {@code version} and returns the response body. */
    ApiMessage send(ApiKeys key, short version, ApiMessage body) throws IOException {
        RequestHeader header = new RequestHeader(new RequestHeaderData().setRequestApiKey(key.id)
                .setRequestApiVersion(version).setClientId("differential-raw").setCorrelationId(++correlationId),
                key.requestHeaderVersion(version));
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.data().size(cache, header.headerVersion());
        int bodySize = body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize + bodySize);
        buffer.putInt(headerSize + bodySize);
        org.apache.kafka.common.protocol.ByteBufferAccessor accessor =
                new org.apache.kafka.common.protocol.ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, header.headerVersion());
        body.write(accessor, cache, version);
        OutputStream out = socket.getOutputStream();
        out.write(buffer.array());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        ByteBuffer bytes = ByteBuffer.wrap(response);
        ResponseHeader.parse(bytes, key.responseHeaderVersion(version));
        return AbstractResponse.parseResponse(key, new org.apache.kafka.common.protocol.ByteBufferAccessor(bytes), version).data();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
