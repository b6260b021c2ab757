package io.tributary.transactions.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection to the broker's Kafka listener, one request at a time: a frame of Kafka's request
 * header v2 and an extension body out, the response (header v1) back. Connects on first use, to the first
 * of the bootstrap servers that accepts; after any I/O failure it is closed and the next call connects again.
 *
 * <pre>
 *  request:  size INT32 | api_key INT16 | api_version INT16 (0) | correlation_id INT32
 *            | client_id INT16 length + UTF-8 | TAG_BUFFER (0) | body
 *  response: size INT32 | correlation_id INT32 | TAG_BUFFER | body
 * </pre>
 */
final class BrokerConnection implements AutoCloseable {
    private static final int MAX_RESPONSE_BYTES = 100 << 20;

    private final List<InetSocketAddress> servers;
    private final String clientId;
    private final int connectTimeoutMs;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private int correlation;
    private volatile boolean closed;

    BrokerConnection(List<InetSocketAddress> servers, String clientId, int connectTimeoutMs) {
        this.servers = servers;
        this.clientId = clientId;
        this.connectTimeoutMs = connectTimeoutMs;
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
            Wire.skipTags(response);
            return response;
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e instanceof IOException io ? io : new IOException("bad response: " + e, e);
        }
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
                s.connect(new InetSocketAddress(server.getHostString(), server.getPort()), connectTimeoutMs);
                socket = s;
                in = new DataInputStream(s.getInputStream());
                out = s.getOutputStream();
                return;
            } catch (IOException e) {
                s.close();
                last = e;
            }
        }
        throw new IOException("cannot connect to any of " + servers + ": " + last, last);
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

    /** The broker closed the connection without answering: what a broker without these APIs (Apache Kafka) does. */
    static final class BrokerClosedException extends IOException {
        BrokerClosedException(java.net.SocketAddress broker) {
            super("the broker at " + broker + " closed the connection without answering: it does not support half "
                    + "messages (Apache Kafka closes the connection on an unknown API key), or it went down");
        }
    }
}
