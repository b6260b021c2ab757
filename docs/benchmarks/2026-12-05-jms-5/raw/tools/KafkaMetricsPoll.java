import com.sun.tools.attach.VirtualMachine;
import javax.management.*;
import javax.management.remote.*;
import java.util.*;

/** Attaches to a JVM, polls kafka producer/consumer metrics every 500 ms, prints the last sample of each MBean seen. */
public class KafkaMetricsPoll {
    public static void main(String[] a) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(a[0]);
        String addr = vm.startLocalManagementAgent();
        MBeanServerConnection c = JMXConnectorFactory.connect(new JMXServiceURL(addr)).getMBeanServerConnection();
        String[] attrs = a[1].split(",");
        Map<String, String> last = new TreeMap<>();
        long until = System.currentTimeMillis() + Long.parseLong(a[2]) * 1000;
        while (System.currentTimeMillis() < until) {
            try {
                for (ObjectName n : c.queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null)) {
                    StringBuilder sb = new StringBuilder();
                    for (String at : attrs) {
                        try { sb.append(at).append('=').append(c.getAttribute(n, at)).append(' '); } catch (Exception e) { }
                    }
                    last.put(n.getKeyProperty("client-id"), sb.toString());
                }
            } catch (Exception e) { }
            StringBuilder out = new StringBuilder();
            last.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
            java.nio.file.Files.writeString(java.nio.file.Path.of(a[3]), out);
            Thread.sleep(500);
        }
        last.forEach((k, v) -> System.out.println(k + ": " + v));
    }
}
