package io.tributary.perf.command;

import io.tributary.kafka.fuzz.FrameMutator;
import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * {@code fuzz}: sends mutated request frames to a broker and counts what happens. The seeds are one
 * request per API version the broker advertises (ApiVersions), kafka-clients' generated message class
 * with its default field values, mutated by {@link FrameMutator} (the one the suite's RequestFuzzIT uses).
 *
 * <p>Each of {@code --connections} senders keeps one non-blocking connection and writes frames back to
 * back, up to {@code --in-flight} unanswered, reading answers as they come ({@link FuzzConnection}). A
 * frame whose size prefix the mutator broke desynchronises the stream, so it is the last one written on
 * its connection: the sender half-closes, waits for the broker to close, and connects again. A
 * connection the broker closes, or that answers nothing for {@code --stall-ms} with frames in flight, is
 * replaced too. Meanwhile a canary connection sends ApiVersions every 100 ms and times the answers: other
 * clients must keep being served. Prints progress every 10 s and one line of key=value results.
 */
public final class FuzzCommand implements Command {
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public String summary() {
        return "mutated request frames: frames/s, connections closed, answers, a canary's latency";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf fuzz --bootstrap HOST:PORT [options]

                Sends --frames mutated Kafka request frames (seeded from one request per advertised API
                version) over --connections pipelined connections while a canary connection's ApiVersions
                are timed, and prints one line of key=value results (exit 1 if the canary failed or the
                broker stopped answering). Point it only at a throwaway broker: mutated requests may create
                topics or groups.""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>();
        l.add(OptionSpec.value("bootstrap", "HOST:PORT", "127.0.0.1:9092", "broker to connect to"));
        l.add(OptionSpec.value("frames", "N", "10000000", "mutated frames to send"));
        l.add(OptionSpec.value("connections", "N", "8", "parallel pipelined connections"));
        l.add(OptionSpec.value("in-flight", "N", "16", "unanswered frames per connection before waiting"));
        l.add(OptionSpec.value("stall-ms", "MS", "200", "replace a connection that answers nothing this long"));
        l.add(OptionSpec.value("seed", "N", "1897099386", "random seed"));
        l.add(OptionSpec.value("max-seconds", "S", "0", "stop sending after this long even if frames are left (0: no limit)"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String[] hostPort = o.required("bootstrap").split(":");
        InetSocketAddress broker = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        long frames = o.longValue("frames");
        int connections = o.intValue("connections");
        int inFlight = o.intValue("in-flight");
        long stallNanos = TimeUnit.MILLISECONDS.toNanos(o.longValue("stall-ms"));
        long seed = o.longValue("seed");
        long maxNanos = TimeUnit.SECONDS.toNanos(o.longValue("max-seconds"));
        List<byte[]> seeds = seeds(broker);
        err.printf(Locale.ROOT, "%d seed requests%n", seeds.size());

        FuzzConnection.Counters counters = new FuzzConnection.Counters();
        AtomicLong remaining = new AtomicLong(frames);
        Canary canary = new Canary(broker);
        canary.start();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            FrameMutator mutator = new FrameMutator(seeds, seed + c);
            Thread t = new Thread(() -> {
                try {
                    FuzzConnection.send(broker, mutator, remaining, inFlight, stallNanos, counters);
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                    err.println("fuzz sender stopped: " + e);
                }
            }, "fuzz-" + c);
            t.start();
            threads.add(t);
        }
        long nextProgress = t0 + PROGRESS_NANOS;
        for (Thread t : threads) {
            while (t.isAlive()) {
                t.join(1000);
                if (maxNanos > 0 && System.nanoTime() - t0 >= maxNanos && remaining.getAndSet(0) > 0) {
                    err.println("fuzz: --max-seconds reached, stopping the senders");
                }
                if (System.nanoTime() >= nextProgress) {
                    nextProgress += PROGRESS_NANOS;
                    double s = (System.nanoTime() - t0) / 1e9;
                    err.printf(Locale.ROOT, "progress seconds=%.0f frames=%d frames_per_s=%.0f %s %s%n", s,
                            counters.sent.sum(), counters.sent.sum() / s, counters, canary);
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        canary.stop();
        boolean alive;
        try {
            alive = !seeds(broker).isEmpty();
        } catch (IOException e) {
            alive = false;
        }
        boolean ok = alive && canary.failures() == 0 && failures.isEmpty();
        out.printf(Locale.ROOT, "fuzz frames=%d seconds=%.1f frames_per_s=%.0f %s %s api_versions_after=%s%n",
                counters.sent.sum(), seconds, counters.sent.sum() / seconds, counters, canary,
                alive ? "ok" : "FAILED");
        return ok ? 0 : 1;
    }

    /** One encoded payload (no size prefix) per API version the broker advertises. */
    private static List<byte[]> seeds(InetSocketAddress broker) throws IOException {
        ApiVersionsResponseData versions;
        try (Socket s = new Socket(broker.getAddress(), broker.getPort())) {
            s.setSoTimeout(10_000);
            versions = Canary.apiVersions(s);
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

    static byte[] encode(ApiKeys key, short version, ApiMessage body) {
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

    static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }
}
