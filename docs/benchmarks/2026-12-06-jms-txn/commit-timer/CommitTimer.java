import jakarta.jms.*;
import java.util.Arrays;

/** Times a transacted session's commit (100 PERSISTENT 1 KiB sends per transaction) against a broker. */
public class CommitTimer {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int txns = Integer.parseInt(args[1]);
        ConnectionFactory factory = (ConnectionFactory) Class.forName("io.tributary.jms.TributaryConnectionFactory")
                .getConstructor(String.class).newInstance(url);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = session.createQueue("ct." + Long.toHexString(System.nanoTime()));
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            String body = "x".repeat(1024);
            long[] commit = new long[txns];
            long[] whole = new long[txns];
            int warm = txns / 5;
            for (int t = -warm; t < txns; t++) {
                long s = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    producer.send(session.createTextMessage(body));
                }
                long c = System.nanoTime();
                session.commit();
                long e = System.nanoTime();
                if (t >= 0) { commit[t] = e - c; whole[t] = e - s; }
            }
            Arrays.sort(commit); Arrays.sort(whole);
            System.out.printf("commit_p50_ms=%.2f commit_p90_ms=%.2f txn_p50_ms=%.2f txn_p90_ms=%.2f txn_mean_ms=%.2f%n",
                    commit[txns / 2] / 1e6, commit[txns * 9 / 10] / 1e6, whole[txns / 2] / 1e6, whole[txns * 9 / 10] / 1e6,
                    Arrays.stream(whole).average().orElse(0) / 1e6);
        }
    }
}
