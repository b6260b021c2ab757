package io.tributary.perf.command;

import io.tributary.kafka.fuzz.FrameMutator;
import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * {@code fuzz}: sends mutated request frames to a broker and counts what happens. The seeds are one
 * request per API version the broker advertises (ApiVersions), kafka-clients' generated message class
 * with its default field values, mutated by {@link FrameMutator} (the one the suite's RequestFuzzIT uses). Each connection sends a frame, waits up to 10 ms for its answer or the broker's close, and
 * reconnects when closed. Prints frames/s, connections the broker closed, answered frames, and whether
 * the broker still answers ApiVersions at the end.
 */
public final class FuzzCommand implements Command {
    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public String summary() {
        return "mutated request frames: frames/s, connections closed, answers";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf fuzz --bootstrap HOST:PORT [options]

                Sends --frames mutated Kafka request frames (seeded from one request per advertised API
                version) over --connections connections and prints one line of key=value results.
                Point it only at a throwaway broker: mutated requests may create topics or groups.""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>();
        l.add(OptionSpec.value("bootstrap", "HOST:PORT", "127.0.0.1:9092", "broker to connect to"));
        l.add(OptionSpec.value("frames", "N", "10000000", "mutated frames to send"));
        l.add(OptionSpec.value("connections", "N", "4", "parallel connections"));
        l.add(OptionSpec.value("seed", "N", "1897099386", "random seed"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String[] hostPort = o.required("bootstrap").split(":");
        String host = hostPort[0];
        int port = Integer.parseInt(hostPort[1]);
        long frames = o.longValue("frames");
        int connections = o.intValue("connections");
        long seed = o.longValue("seed");
        List<byte[]> seeds = seeds(host, port);
        err.printf(Locale.ROOT, "%d seed requests%n", seeds.size());

        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            FrameMutator mutator = new FrameMutator(seeds, seed + c);
            long share = frames / connections + (c < frames % connections ? 1 : 0);
            Thread t = new Thread(() -> {
                Conn conn = null;
                try {
                    for (long i = 0; i < share; i++) {
                        if (conn == null || conn.closed) {
                            if (conn != null) {
                                conn.socket.close();
                                closed.incrementAndGet();
                            }
                            conn = new Conn(host, port, answered);
                        }
                        long before = conn.answered;
                        try {
                            conn.out.write(mutator.next());
                        } catch (IOException e) {
                            conn.closed = true;
                        }
                        sent.incrementAndGet();
                        long wait = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
                        while (!conn.closed && conn.answered == before && System.nanoTime() < wait) {
                            Thread.sleep(0, 100_000);
                        }
                    }
                    if (conn != null) {
                        conn.socket.close();
                    }
                } catch (IOException | InterruptedException e) {
                    err.println("fuzz sender stopped: " + e);
                }
            }, "fuzz-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        boolean alive;
        try {
            alive = !seeds(host, port).isEmpty();
        } catch (IOException e) {
            alive = false;
        }
        out.printf(Locale.ROOT, "fuzz frames=%d seconds=%.1f frames_per_s=%.0f closed_by_broker=%d answered=%d "
                + "api_versions_after=%s%n", sent.get(), seconds, sent.get() / seconds, closed.get(), answered.get(),
                alive ? "ok" : "FAILED");
        return alive ? 0 : 1;
    }

    /** One encoded payload (no size prefix) per API version the broker advertises. */
    private static List<byte[]> seeds(String host, int port) throws IOException {
        ApiVersionsResponseData versions;
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(frame(encode(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                    .setClientSoftwareName("tributary-perf-fuzz").setClientSoftwareVersion("1"))));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            ResponseHeader.parse(buffer, (short) 0);
            versions = new ApiVersionsResponseData(new ByteBufferAccessor(buffer), (short) 3);
        }
        List<byte[]> seeds = new ArrayList<>();
        for (ApiVersionsResponseData.ApiVersion v : versions.apiKeys()) {
            if (!ApiKeys.hasId(v.apiKey())) {
                continue;
            }
            ApiKeys key = ApiKeys.forId(v.apiKey());
            for (short version = v.minVersion(); version <= v.maxVersion(); version++) {
                try {
                    seeds.add(encode(key, version, ApiMessageType.fromApiKey(key.id).newRequest()));
                } catch (RuntimeException notWritableWithDefaults) {
                    // a default field value that this version cannot carry: no seed for it
                }
            }
        }
        return seeds;
    }

    private static byte[] encode(ApiKeys key, short version, ApiMessage body) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setClientId("fuzz").setCorrelationId(1);
        ByteBuffer buffer = ByteBuffer.allocate(header.size(cache, headerVersion) + body.size(cache, version));
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /** A connection whose answers a daemon thread reads and counts. */
    private static final class Conn {
        final Socket socket;
        final OutputStream out;
        volatile boolean closed;
        volatile long answered;

        Conn(String host, int port, AtomicLong total) throws IOException {
            socket = new Socket(host, port);
            out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Thread drain = new Thread(() -> {
                try {
                    while (true) {
                        in.skipNBytes(in.readInt());
                        total.incrementAndGet();
                        answered++;
                    }
                } catch (IOException | RuntimeException e) {
                    closed = true;
                }
            }, "fuzz-drain");
            drain.setDaemon(true);
            drain.start();
        }
    }
}
