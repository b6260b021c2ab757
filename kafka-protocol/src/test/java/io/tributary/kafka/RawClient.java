package io.tributary.kafka;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

import static org.assertj.core.api.Assertions.assertThat;

/** A bare TCP client for sending hand-made frames and reading raw response frames. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private int correlation;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
    }

    void send(ByteBuffer frame) throws IOException {
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        send(bytes);
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /**
     * Sends {@code request} as {@code key} v{@code version} and returns the parsed answer, checking that it
     * carries the request's correlation id and that the frame holds nothing past the response.
     */
    ApiMessage call(ApiKeys key, short version, ApiMessage request) throws IOException {
        int id = ++correlation;
        send(TestFrames.request(key, version, request, id));
        ByteBuffer frame = readFrame();
        ResponseHeader header = ResponseHeader.parse(frame, key.responseHeaderVersion(version));
        assertThat(header.correlationId()).as("%s v%d correlation id", key, version).isEqualTo(id);
        AbstractResponse response = AbstractResponse.parseResponse(key, new ByteBufferAccessor(frame), version);
        assertThat(frame.remaining()).as("%s v%d bytes left after parsing", key, version).isZero();
        return response.data();
    }

    /** The next response frame without its size prefix. */
    ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] payload = new byte[size];
        in.readFully(payload);
        return ByteBuffer.wrap(payload);
    }

    /** Reads exactly {@code n} bytes of whatever comes next. */
    byte[] readPrefix(int n) throws IOException {
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    /** Closes with a TCP reset (linger 0), as a crashed client would. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** True when the server closed the connection (end of stream or reset) before sending anything more. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
