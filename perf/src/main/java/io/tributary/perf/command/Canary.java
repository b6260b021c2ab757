package io.tributary.perf.command;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A well-behaved client beside the fuzz senders: one connection sending ApiVersions every 100 ms and
 * timing each answer (10 s at most). A request not answered in time, answered with an error, or a
 * connection lost counts as a failure and the canary connects again.
 */
final class Canary {
    private static final long INTERVAL_MS = 100;

    private final InetSocketAddress broker;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long requests;
    private volatile long failures;
    private volatile long maxNanos;
    private volatile long totalNanos;

    Canary(InetSocketAddress broker) {
        this.broker = broker;
        this.thread = new Thread(this::loop, "fuzz-canary");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(15));
    }

    long failures() {
        return failures;
    }

    /** Sends an ApiVersions v3 request on {@code socket} and reads its answer. */
    static ApiVersionsResponseData apiVersions(Socket socket) throws IOException {
        socket.getOutputStream().write(FuzzCommand.frame(FuzzCommand.encode(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("tributary-perf-fuzz")
                        .setClientSoftwareVersion("1"))));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        ResponseHeader.parse(buffer, (short) 0);
        return new ApiVersionsResponseData(new ByteBufferAccessor(buffer), (short) 3);
    }

    private void loop() {
        Socket socket = null;
        while (!stopped) {
            long start = System.nanoTime();
            try {
                if (socket == null) {
                    socket = new Socket(broker.getAddress(), broker.getPort());
                    socket.setSoTimeout(10_000);
                    socket.setTcpNoDelay(true);
                }
                ApiVersionsResponseData answer = apiVersions(socket);
                long nanos = System.nanoTime() - start;
                if (answer.errorCode() != Errors.NONE.code()) {
                    throw new IOException("ApiVersions answered " + Errors.forCode(answer.errorCode()));
                }
                requests++;
                totalNanos += nanos;
                maxNanos = Math.max(maxNanos, nanos);
            } catch (IOException e) {
                failures++;
                closeQuietly(socket);
                socket = null;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                break;
            }
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken canary connection: nothing to report beyond the failure counted
            }
        }
    }

    @Override
    public String toString() {
        long n = requests;
        return String.format(Locale.ROOT, "canary_requests=%d canary_failures=%d canary_mean_ms=%.2f canary_max_ms=%.1f",
                n, failures, n == 0 ? 0.0 : totalNanos / 1e6 / n, maxNanos / 1e6);
    }
}
