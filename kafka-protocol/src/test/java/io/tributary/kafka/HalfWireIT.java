package io.tributary.kafka;

import io.tributary.kafka.half.EndHalfRequest;
import io.tributary.kafka.half.HalfApi;
import io.tributary.kafka.half.PollCheckRequest;
import io.tributary.kafka.half.SendHalfRequest;
import io.tributary.transactions.HalfMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The half-message extension APIs (docs/protocol.md) byte by byte over a raw socket: each refusal has its
 * Kafka error code and message, and a malformed body or an unknown version is answered with an error on a
 * connection that goes on serving. The responses are read by hand here, independently of the broker's
 * encoder: size, correlation id, response header v1's empty tagged fields, error code, error message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HalfWireIT {
    private static final String TOPIC = "half-wire";

    @TempDir
    Path dir;

    @Test
    void refusalsCarryKafkaErrorCodesAndBadBodiesDoNotCloseTheConnection() throws Exception {
        try (TestBroker broker = TestBroker.start(dir); RawClient client = new RawClient(broker.port())) {
            Answer unknownTopic = call(client, 1, HalfApi.SEND_HALF, send("t1").bytes());
            assertThat(unknownTopic.error).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

            broker.log().createTopic(TOPIC, 1, Map.of());
            Answer sent = call(client, 2, HalfApi.SEND_HALF, send("t1").bytes());
            assertThat(sent.error).as(sent.message).isEqualTo(Errors.NONE.code());
            assertThat(sent.rest.getInt()).as("partition chosen").isZero();

            Answer again = call(client, 3, HalfApi.SEND_HALF, send("t1").bytes());
            assertThat(again.error).isEqualTo(Errors.DUPLICATE_RESOURCE.code());

            assertThat(call(client, 4, HalfApi.END_HALF, end("t1", EndHalfRequest.ROLLBACK)).error)
                    .isEqualTo(Errors.NONE.code());
            Answer commitAfterRollback = call(client, 5, HalfApi.END_HALF, end("t1", EndHalfRequest.COMMIT));
            assertThat(commitAfterRollback.error).isEqualTo(Errors.INVALID_TXN_STATE.code());
            assertThat(commitAfterRollback.message).contains("was rolled back; it cannot be committed");

            Answer unknown = call(client, 6, HalfApi.END_HALF, end("nope", EndHalfRequest.COMMIT));
            assertThat(unknown.error).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());

            byte[] whole = send("t2").bytes();
            Answer truncated = call(client, 7, HalfApi.SEND_HALF, Arrays.copyOf(whole, whole.length - 3));
            assertThat(truncated.error).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(truncated.message).contains("malformed SendHalf body");
            Answer badOutcome = call(client, 8, HalfApi.END_HALF, new EndHalfRequest("g", "t1", (byte) 9, 0).bytes());
            assertThat(badOutcome.error).isEqualTo(Errors.INVALID_REQUEST.code());
            Answer newerVersion = call(client, 9, HalfApi.POLL_CHECK, (short) 1, new PollCheckRequest("g", 0).bytes());
            assertThat(newerVersion.error).isEqualTo(Errors.UNSUPPORTED_VERSION.code());

            // the same connection still serves: a poll with nothing due answers at once with no checks
            Answer poll = call(client, 10, HalfApi.POLL_CHECK, new PollCheckRequest("g", 0).bytes());
            assertThat(poll.error).isEqualTo(Errors.NONE.code());
            assertThat(poll.rest.get()).as("checks array, empty (length + 1)").isEqualTo((byte) 1);
            assertThat(broker.halfTransactions().state("g", "t1").get(30, TimeUnit.SECONDS)).contains("ROLLED_BACK");
        }
    }

    private static SendHalfRequest send(String transactionId) {
        return new SendHalfRequest("g", transactionId, TOPIC, -1, new HalfMessage(-1L, null,
                "v".getBytes(StandardCharsets.UTF_8), List.of(new HalfMessage.Header("h", null))));
    }

    private static byte[] end(String transactionId, byte outcome) {
        return new EndHalfRequest("g", transactionId, outcome, 0).bytes();
    }

    private static Answer call(RawClient client, int correlationId, HalfApi api, byte[] body) throws Exception {
        return call(client, correlationId, api, HalfApi.VERSION, body);
    }

    /** Sends with request header v2 (an empty tagged-field section after the client id) and reads the answer. */
    private static Answer call(RawClient client, int correlationId, HalfApi api, short version, byte[] body)
            throws Exception {
        byte[] withTags = new byte[body.length + 1];
        System.arraycopy(body, 0, withTags, 1, body.length);
        client.send(TestFrames.rawRequest(api.key, version, correlationId, withTags));
        ByteBuffer frame = client.readFrame();
        assertThat(frame.getInt()).as("correlation id").isEqualTo(correlationId);
        assertThat(frame.get()).as("response header tagged fields").isZero();
        short error = frame.getShort();
        int lengthPlusOne = frame.get();
        String message = null;
        if (lengthPlusOne > 0) {
            byte[] text = new byte[lengthPlusOne - 1];
            frame.get(text);
            message = new String(text, StandardCharsets.UTF_8);
        }
        return new Answer(error, message, frame);
    }

    private record Answer(short error, String message, ByteBuffer rest) {
    }
}
