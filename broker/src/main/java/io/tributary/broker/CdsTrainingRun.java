package io.tributary.broker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run {@code bin/tributary} records a class-data-sharing archive from
 * ({@code java -XX:ArchiveClassesAtExit=broker/target/tributary.jsa ... io.tributary.broker.CdsTrainingRun}):
 * starts a broker over a temporary directory on a free loopback port, answers one ApiVersions request,
 * stops it and exits normally, so that the JVM writes every class a startup loads into the archive.
 * Later starts map those classes instead of loading and verifying them again.
 */
public final class CdsTrainingRun {
    private CdsTrainingRun() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tributary-cds-");
        try (Broker broker = Broker.start(BrokerConfig.of(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0", "log.dirs", dir.toString())))) {
            askApiVersions(broker.port("PLAINTEXT"));
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Sends an ApiVersions v0 request and reads the response frame.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +---------------------------------------------------------------+
     * |                     frame size (int32)                        |
     * +-------------------------------+-------------------------------+
     * |     api key = 18 (int16)      |   api version = 0 (int16)     |
     * +-------------------------------+-------------------------------+
     * |                    correlation id (int32)                     |
     * +-------------------------------+-------------------------------+
     * |   client id length (int16)    |  client id bytes ...          |
     * +-------------------------------+-------------------------------+
     * </pre>
     */
    private static void askApiVersions(int port) throws IOException {
        byte[] clientId = "cds-training".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + clientId.length);
            out.writeShort(18);
            out.writeShort(0);
            out.writeInt(1);
            out.writeShort(clientId.length);
            out.write(clientId);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readFully(new byte[in.readInt()]);
        }
    }
}
