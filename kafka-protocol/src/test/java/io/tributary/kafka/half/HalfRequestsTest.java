package io.tributary.kafka.half;

import io.tributary.kafka.network.KafkaRequest;
import io.tributary.transactions.HalfMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding of the half-message extension requests: every layout error becomes an answerable MalformedRequest. */
class HalfRequestsTest {

    @Test
    void aSendHalfRequestRoundTrips() throws Exception {
        SendHalfRequest sent = new SendHalfRequest("g", "t1", "topic", 3, new HalfMessage(42L,
                "k".getBytes(StandardCharsets.UTF_8), null, List.of(new HalfMessage.Header("a", null),
                new HalfMessage.Header("b", "β".getBytes(StandardCharsets.UTF_8)))));

        KafkaRequest request = HalfRequests.decode(payload(HalfApi.SEND_HALF, (short) 0, sent.bytes()));

        assertThat(request.isExtension()).isTrue();
        assertThat(request.apiKey()).isNull();
        assertThat(request.apiName()).isEqualTo("SendHalf");
        assertThat(request.header().correlationId()).isEqualTo(7);
        assertThat(request.responseHeaderVersion()).isEqualTo((short) 1);
        SendHalfRequest read = (SendHalfRequest) request.body();
        assertThat(read.producerGroup).isEqualTo("g");
        assertThat(read.transactionId).isEqualTo("t1");
        assertThat(read.topic).isEqualTo("topic");
        assertThat(read.partition).isEqualTo(3);
        assertThat(read.message.timestamp()).isEqualTo(42L);
        assertThat(read.message.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(read.message.value()).isNull();
        assertThat(read.message.headers()).extracting(HalfMessage.Header::key).containsExactly("a", "b");
        assertThat(read.message.headers().get(1).value()).isEqualTo("β".getBytes(StandardCharsets.UTF_8));
        assertThat(read.bytes()).isEqualTo(sent.bytes());
    }

    @Test
    void everyTruncationOfABodyIsAnInvalidRequestNotAnException() throws Exception {
        byte[] whole = new SendHalfRequest("group", "txn", "topic", -1, new HalfMessage(-1L, null,
                "value".getBytes(StandardCharsets.UTF_8), List.of(new HalfMessage.Header("h", new byte[] {1}))))
                .bytes();
        for (int length = 0; length < whole.length; length++) {
            KafkaRequest request = HalfRequests.decode(payload(HalfApi.SEND_HALF, (short) 0, Arrays.copyOf(whole, length)));
            assertThat(request.body()).as("body cut to %d bytes", length).isInstanceOf(MalformedRequest.class);
            assertThat(((MalformedRequest) request.body()).errorCode).isEqualTo(Errors.INVALID_REQUEST.code());
        }
    }

    @Test
    void hugeLengthsAndTrailingBytesAreRefusedWithoutAllocating() throws Exception {
        // producer_group claims 2^28 bytes: refused because the buffer is shorter, before any allocation
        byte[] hugeString = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThat(malformed(HalfApi.POLL_CHECK, hugeString)).contains("body ends early");
        byte[] endless = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThat(malformed(HalfApi.POLL_CHECK, endless)).contains("varint longer than 5 bytes");
        byte[] poll = new PollCheckRequest("g", 100).bytes();
        byte[] trailing = Arrays.copyOf(poll, poll.length + 2);
        assertThat(malformed(HalfApi.POLL_CHECK, trailing)).contains("2 bytes after the end of the body");
        assertThat(malformed(HalfApi.POLL_CHECK, new PollCheckRequest("g", -1).bytes())).contains("max_wait_ms");
        assertThat(malformed(HalfApi.END_HALF, new EndHalfRequest(null, "t", EndHalfRequest.COMMIT, 0).bytes()))
                .contains("producer_group must not be null");
    }

    @Test
    void aLongPollIsCappedAndAnotherVersionIsUnsupported() throws Exception {
        PollCheckRequest poll = (PollCheckRequest) HalfRequests.decode(payload(HalfApi.POLL_CHECK, (short) 0,
                new PollCheckRequest("g", Integer.MAX_VALUE).bytes())).body();
        assertThat(poll.maxWaitMs).isEqualTo(PollCheckRequest.MAX_WAIT_MS);

        MalformedRequest newer = (MalformedRequest) HalfRequests.decode(payload(HalfApi.END_HALF, (short) 1,
                new EndHalfRequest("g", "t", EndHalfRequest.COMMIT, 0).bytes())).body();
        assertThat(newer.errorCode).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    }

    private static String malformed(HalfApi api, byte[] body) throws Exception {
        Object decoded = HalfRequests.decode(payload(api, (short) 0, body)).body();
        assertThat(decoded).isInstanceOf(MalformedRequest.class);
        return ((MalformedRequest) decoded).reason;
    }

    /** Request header v2 (client id "c", no tagged fields) and {@code body}. */
    private static ByteBuffer payload(HalfApi api, short version, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 4 + 2 + 1 + 1 + body.length);
        b.putShort(api.key).putShort(version).putInt(7).putShort((short) 1).put((byte) 'c').put((byte) 0).put(body);
        return b.flip();
    }
}
