package io.tributary.transactions.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to the broker's Kafka listener, one request at a time: a frame of Kafka's request
 * header v2 and an extension body out, the response (header v1) back. Connects on first use, to the first
 * of the bootstrap servers that accepts, with TLS and SASL as {@link ClientSecurity} says; after any I/O
 * failure it is closed and the next call connects again.
 *
 * <pre>
 *  request:  size INT32 | api_key INT16 | api_version INT16 (0) | correlation_id INT32
 *            | client_id INT16 length + UTF-8 | TAG_BUFFER (0) | body
 *  response: size INT32 | correlation_id INT32 | TAG_BUFFER | body
 * </pre>
 *
 * On a SASL listener the connection first authenticates as kafka-clients do, with Kafka's own non-flexible
 * versions (request header v1: no TAG_BUFFER; response header v0: no TAG_BUFFER):
 * <pre>
 *  SaslHandshake v1 (17):     mechanism STRING                    -&gt; error_code INT16 | mechanisms [STRING]
 *  SaslAuthenticate v0 (36):  auth_bytes BYTES                    -&gt; error_code INT16 | error_message NULLABLE_STRING
 *                                                                    | auth_bytes BYTES
 * </pre>
 * PLAIN sends one token ({@code \0user\0password}); SCRAM two ({@link ScramClient}). Version 0 of
 * SaslAuthenticate asks for no session lifetime, so the broker never requires a re-authentication.
 */
final class BrokerConnection implements AutoCloseable {
    private static final int MAX_RESPONSE_BYTES = 100 << 20;
    private static final short SASL_HANDSHAKE = 17;
    private static final short SASL_AUTHENTICATE = 36;
    private static final short SASL_AUTHENTICATION_FAILED = 58;

    private final List<InetSocketAddress> servers;
    private final String clientId;
    private final int connectTimeoutMs;
    private final ClientSecurity security;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private int correlation;
    private volatile boolean closed;

    BrokerConnection(List<InetSocketAddress> servers, String clientId, int connectTimeoutMs, ClientSecurity security) {
        this.servers = servers;
        this.clientId = clientId;
        this.connectTimeoutMs = connectTimeoutMs;
        this.security = security;
    }

    static List<InetSocketAddress> parse(String bootstrapServers) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException("bootstrap server must be host:port, got '" + s + "'");
            }
            servers.add(InetSocketAddress.createUnresolved(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
        }
        return servers;
    }

    /**
     * Sends {@code body} as {@code apiKey} v0 and returns the response body.
     *
     * @param readTimeoutMs how long to wait for the answer
     * @throws IOException when no answer came; the connection is closed then
     */
    synchronized ByteBuffer call(short apiKey, byte[] body, int readTimeoutMs) throws IOException {
        if (closed) {
            throw new IOException("connection closed");
        }
        try {
            connect();
            int id = ++correlation;
            byte[] frame = new Wire.Writer().int16(apiKey).int16((short) 0).int32(id).shortString(clientId).noTags()
                    .raw(body).toByteArray();
            ByteBuffer response = exchange(frame, id, readTimeoutMs);
            Wire.skipTags(response);
            return response;
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e instanceof IOException io ? io : new IOException("bad response: " + e, e);
        }
    }

    /** Writes {@code frame} and returns the response after its correlation id. */
    private ByteBuffer exchange(byte[] frame, int id, int readTimeoutMs) throws IOException {
        out.write(new Wire.Writer().int32(frame.length).raw(frame).toByteArray());
        out.flush();
        socket.setSoTimeout(readTimeoutMs);
        int size;
        try {
            size = in.readInt();
        } catch (EOFException | SocketException e) {
            throw new BrokerClosedException(socket.getRemoteSocketAddress());
        }
        if (size < 4 || size > MAX_RESPONSE_BYTES) {
            throw new IOException("bad response size " + size);
        }
        byte[] payload = new byte[size];
        in.readFully(payload);
        ByteBuffer response = ByteBuffer.wrap(payload);
        int answered = response.getInt();
        if (answered != id) {
            throw new IOException("response to correlation id " + answered + ", expected " + id);
        }
        return response;
    }

    private void connect() throws IOException {
        if (socket != null) {
            return;
        }
        IOException last = null;
        for (InetSocketAddress server : servers) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(connectTimeoutMs);
                s.connect(new InetSocketAddress(server.getHostString(), server.getPort()), connectTimeoutMs);
                socket = security.secure(s, server.getHostString(), server.getPort());
                in = new DataInputStream(socket.getInputStream());
                out = socket.getOutputStream();
                if (security.sasl()) {
                    authenticate();
                }
                return;
            } catch (AuthenticationFailed e) {
                disconnect();
                s.close();
                throw e;
            } catch (IOException e) {
                disconnect();
                s.close();
                last = e;
            }
        }
        throw new IOException("cannot connect to any of " + servers + ": " + last, last);
    }

    private void authenticate() throws IOException {
        ByteBuffer handshake = legacyCall(SASL_HANDSHAKE, (short) 1,
                new Wire.Writer().shortString(security.mechanism).toByteArray());
        short error = handshake.getShort();
        if (error != 0) {
            List<String> offered = new ArrayList<>();
            for (int i = handshake.getInt(); i > 0; i--) {
                offered.add(legacyString(handshake));
            }
            throw new AuthenticationFailed(error, "SASL mechanism " + security.mechanism + " is not enabled on the "
                    + "broker's listener; it offers " + offered);
        }
        if (security.mechanism.equals("PLAIN")) {
            authenticateStep(("\0" + security.username + "\0" + security.password).getBytes(StandardCharsets.UTF_8));
            return;
        }
        ScramClient scram = new ScramClient(security.mechanism, security.username, security.password);
        try {
            byte[] serverFirst = authenticateStep(scram.clientFirst());
            byte[] serverFinal = authenticateStep(scram.clientFinal(serverFirst));
            if (!scram.serverVerified(serverFinal)) {
                throw new AuthenticationFailed(SASL_AUTHENTICATION_FAILED, "the broker's SCRAM signature is wrong");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuthenticationFailed(SASL_AUTHENTICATION_FAILED, "SCRAM exchange failed: " + e);
        }
    }

    /** One SaslAuthenticate v0 round: our token out, the broker's back; its refusal as {@link AuthenticationFailed}. */
    private byte[] authenticateStep(byte[] token) throws IOException {
        ByteBuffer response = legacyCall(SASL_AUTHENTICATE, (short) 0,
                new Wire.Writer().int32(token.length).raw(token).toByteArray());
        short error = response.getShort();
        String message = legacyString(response);
        if (error != 0) {
            throw new AuthenticationFailed(error, "SASL " + security.mechanism + " authentication of " + security.username
                    + " failed: " + message);
        }
        byte[] answer = new byte[response.getInt()];
        response.get(answer);
        return answer;
    }

    /** A request with header v1 (no tagged fields) and its response after header v0. */
    private ByteBuffer legacyCall(short apiKey, short version, byte[] body) throws IOException {
        int id = ++correlation;
        byte[] frame = new Wire.Writer().int16(apiKey).int16(version).int32(id).shortString(clientId).raw(body)
                .toByteArray();
        return exchange(frame, id, connectTimeoutMs);
    }

    /** A NULLABLE_STRING / STRING with an INT16 length. */
    private static String legacyString(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing after a failure: the failure is what gets reported
            }
            socket = null;
        }
    }

    /** Closes the socket, also under a call blocked in another thread (which then fails). */
    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do: we are closing
            }
        }
    }

    /** The broker refused the SASL authentication (or its mechanism); {@link #errorCode} is Kafka's. */
    static final class AuthenticationFailed extends IOException {
        final short errorCode;

        AuthenticationFailed(short errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }
    }

    /** The broker closed the connection without answering: what a broker without these APIs (Apache Kafka) does. */
    static final class BrokerClosedException extends IOException {
        BrokerClosedException(java.net.SocketAddress broker) {
            super("the broker at " + broker + " closed the connection without answering: it does not support half "
                    + "messages (Apache Kafka closes the connection on an unknown API key), or it went down");
        }
    }
}
