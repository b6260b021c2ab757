import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.*;
import java.time.Duration;
import java.util.*;

public class Diag {
    public static void main(String[] a) throws Exception {
        String bs = a[0]; int n = Integer.parseInt(a[1]); String mode = a[2];
        String topic = "diag-" + System.nanoTime(); String group = "g-" + topic;
        Properties ap = new Properties(); ap.put("bootstrap.servers", bs);
        try (Admin admin = Admin.create(ap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET)))).all().get();
        }
        Properties pp = new Properties(); pp.put("bootstrap.servers", bs); pp.put("linger.ms", "5");
        byte[] v = new byte[1024];
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) p.send(new ProducerRecord<>(topic, v));
        }
        Properties cp = new Properties(); cp.put("bootstrap.servers", bs); cp.put("group.id", group);
        cp.put("share.acknowledgement.mode", mode.startsWith("explicit") ? "explicit" : "implicit");
        try (KafkaShareConsumer<byte[], byte[]> c = new KafkaShareConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            int got = 0; long start = 0; List<String> polls = new ArrayList<>();
            while (got < n) {
                long t0 = System.nanoTime();
                ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(1000));
                long t1 = System.nanoTime();
                if (rs.isEmpty()) continue;
                if (start == 0) start = t0;
                for (ConsumerRecord<byte[], byte[]> r : rs) {
                    if (mode.startsWith("explicit")) { c.acknowledge(r); if (mode.equals("explicit-each")) c.commitAsync(); }
                }
                if (mode.equals("explicit-batch")) c.commitAsync();
                got += rs.count();
                polls.add(rs.count() + "/" + (t1 - t0) / 1_000_000 + "ms");
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d records in %.2f s = %.0f msg/s, %d polls; first polls %s%n", mode, got, s, got / s, polls.size(),
                polls.subList(0, Math.min(30, polls.size())));
        }
    }
}
