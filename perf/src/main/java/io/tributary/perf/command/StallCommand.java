package io.tributary.perf.command;

import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code stall}: whether idle connections and a client that stops reading its socket grow a broker's memory.
 * Measures the broker process given by {@code --broker-pid} (same machine, a JDK's {@code jcmd} on the path): heap
 * in use after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) and resident memory ({@code VmRSS}, which
 * holds direct buffers too), at four points:
 * <ol>
 *   <li>baseline;</li>
 *   <li>after {@code --idle} connections have been opened and left silent;</li>
 *   <li>a third of {@code --seconds} into the stall: a producer writes 1 KiB records ({@code --produce-rate} a
 *       second at most) to a one-partition topic while
 *       a raw connection sends Fetch requests (v12, offset 0, {@code --fetch-bytes} each) back to back and never
 *       reads an answer;</li>
 *   <li>at the end of the stall.</li>
 * </ol>
 * Fails (exit 1) when an idle connection costs more than {@code --max-idle-kib} of heap, or when heap or RSS grew by
 * more than {@code --max-growth-mib} between points 3 and 4: a broker that queues answers for a reader that does
 * not read grows for as long as the client keeps asking.
 */
public final class StallCommand implements Command {
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    @Override
    public String name() {
        return "stall";
    }

    @Override
    public String summary() {
        return "broker memory with idle connections and a client that stops reading (bounded check)";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf stall --bootstrap HOST:PORT --broker-pid PID [options]

                Opens --idle silent connections, then runs a producer while a raw connection pipelines
                Fetch requests and never reads the answers, and measures the broker's heap after GC and its
                RSS (jcmd, /proc) before, after the idle connections, and twice during the stall. Prints
                key=value lines; exit 1 when a bound is exceeded. PLAINTEXT listeners only.""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>();
        l.add(OptionSpec.value("bootstrap", "HOST:PORT", "127.0.0.1:9092", "broker to connect to (PLAINTEXT)"));
        l.add(OptionSpec.value("broker-pid", "PID", null, "the broker's process id, for jcmd and /proc"));
        l.add(OptionSpec.value("idle", "N", "1000", "idle connections to open"));
        l.add(OptionSpec.value("seconds", "S", "60", "length of the stall phase"));
        l.add(OptionSpec.value("fetch-bytes", "BYTES", "1048576", "max bytes of each pipelined fetch"));
        l.add(OptionSpec.value("topic", "NAME", "stall", "topic to produce to and fetch from"));
        l.add(OptionSpec.value("produce-rate", "N", "5000", "records per second the producer writes at most"));
        l.add(OptionSpec.value("max-idle-kib", "KIB", "64", "largest heap an idle connection may cost"));
        l.add(OptionSpec.value("max-growth-mib", "MIB", "64", "largest heap or RSS growth in the stall's last two thirds"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String bootstrap = o.required("bootstrap");
        String[] hostPort = bootstrap.split(":");
        InetSocketAddress broker = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        long pid = o.longValue("broker-pid");
        int idle = o.intValue("idle");
        long seconds = o.longValue("seconds");
        int fetchBytes = o.intValue("fetch-bytes");
        String topic = o.required("topic");

        Sample baseline = Sample.of(pid);
        out.println(baseline.line("baseline"));
        List<Socket> idleSockets = new ArrayList<>();
        try {
            for (int i = 0; i < idle; i++) {
                Socket s = new Socket();
                s.connect(broker, 10_000);
                idleSockets.add(s);
            }
            Thread.sleep(3000);
            Sample withIdle = Sample.of(pid);
            out.println(withIdle.line("idle_" + idle));
            double idleKib = idle == 0 ? 0 : (withIdle.heapKib - baseline.heapKib) / (double) idle;
            out.printf(Locale.ROOT, "idle_heap_kib_per_connection=%.2f idle_rss_kib_per_connection=%.2f%n", idleKib,
                    idle == 0 ? 0 : (withIdle.rssKib - baseline.rssKib) / (double) idle);

            createTopic(bootstrap, topic);
            AtomicBoolean stop = new AtomicBoolean();
            LongAdder produced = new LongAdder();
            LongAdder fetchesSent = new LongAdder();
            int rate = o.intValue("produce-rate");
            Thread producer = new Thread(() -> produce(bootstrap, topic, rate, stop, produced, err), "stall-producer");
            Socket stalled = new Socket();
            stalled.setReceiveBufferSize(4096);
            stalled.connect(broker, 10_000);
            idleSockets.add(stalled); // closed at the end, which also ends a write blocked on it
            Thread staller = new Thread(() -> pipelineFetches(stalled, topic, fetchBytes, stop, fetchesSent, err),
                    "stall-fetcher");
            staller.setDaemon(true);
            producer.start();
            staller.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 3);
            Sample early = Sample.of(pid);
            out.println(early.line("stall_early") + " fetches_sent=" + fetchesSent.sum() + " produced=" + produced.sum());
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) * 2 / 3);
            Sample late = Sample.of(pid);
            out.println(late.line("stall_late") + " fetches_sent=" + fetchesSent.sum() + " produced=" + produced.sum());
            stop.set(true);
            producer.join(30_000);

            long maxGrowthKib = o.longValue("max-growth-mib") * 1024;
            boolean idleOk = idleKib <= o.longValue("max-idle-kib");
            boolean heapOk = late.heapKib - early.heapKib <= maxGrowthKib;
            boolean rssOk = late.rssKib - early.rssKib <= maxGrowthKib;
            out.printf(Locale.ROOT, "stall_heap_growth_kib=%d stall_rss_growth_kib=%d idle=%s heap=%s rss=%s%n",
                    late.heapKib - early.heapKib, late.rssKib - early.rssKib, ok(idleOk), ok(heapOk), ok(rssOk));
            return idleOk && heapOk && rssOk ? 0 : 1;
        } finally {
            for (Socket s : idleSockets) {
                s.close();
            }
        }
    }

    private static String ok(boolean ok) {
        return ok ? "ok" : "EXCEEDED";
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void produce(String bootstrap, String topic, int rate, AtomicBoolean stop, LongAdder produced,
                                PrintStream err) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        byte[] value = new byte[1024];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            long start = System.nanoTime();
            for (long sent = 0; !stop.get(); sent++) {
                long due = start + sent * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                producer.send(new ProducerRecord<>(topic, value), (m, e) -> {
                    if (e == null) {
                        produced.increment();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("stall producer stopped: " + e);
        }
    }

    /**
     * Writes Fetch requests back to back on one connection and never reads: once the broker stops reading
     * (or its answers fill the socket buffers) the write blocks, which is the back-pressure being measured.
     */
    private static void pipelineFetches(Socket socket, String topic, int fetchBytes, AtomicBoolean stop,
                                        LongAdder sent, PrintStream err) {
        FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(fetchBytes).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1);
        fetch.topics().add(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(fetchBytes)
                        .setCurrentLeaderEpoch(-1).setLogStartOffset(-1))));
        byte[] frame = FuzzCommand.frame(FuzzCommand.encode(ApiKeys.FETCH, (short) 12, fetch));
        try {
            OutputStream outStream = socket.getOutputStream();
            while (!stop.get()) {
                outStream.write(frame);
                sent.increment();
            }
        } catch (IOException e) {
            if (!stop.get()) {
                err.println("stall fetcher stopped: " + e);
            }
        }
    }

    /** The broker's heap in use after a full GC and its resident set, in KiB. */
    private record Sample(long heapKib, long rssKib) {
        static Sample of(long pid) throws IOException, InterruptedException {
            jcmd(pid, "GC.run");
            String heap = jcmd(pid, "GC.heap_info");
            // One "total NK, used NK" line per heap (G1) or generation (serial, parallel): their sum.
            Matcher used = HEAP_USED.matcher(heap);
            long heapKib = 0;
            boolean found = false;
            while (used.find()) {
                heapKib += Long.parseLong(used.group(1));
                found = true;
            }
            if (!found) {
                throw new IOException("no heap figure in jcmd GC.heap_info:\n" + heap);
            }
            long rss = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new Sample(heapKib, rss);
        }

        String line(String label) {
            return "point=" + label + " heap_after_gc_kib=" + heapKib + " rss_kib=" + rssKib;
        }

        private static String jcmd(long pid, String command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed:\n" + text);
            }
            return text;
        }
    }
}
