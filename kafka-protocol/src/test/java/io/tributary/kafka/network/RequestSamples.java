package io.tributary.kafka.network;

import io.tributary.kafka.TestFrames;
import io.tributary.kafka.api.SupportedApis;
import org.apache.kafka.common.protocol.ApiKeys;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Seeds for {@link io.tributary.kafka.fuzz.FrameMutator}: one payload per accepted API version. */
public final class RequestSamples {
    private RequestSamples() {
    }

    /**
     * One request payload (header and body, no size prefix) per API version the listener accepts, from
     * the samples of {@link RequestDecoderTest} encoded by kafka-clients' generated message classes.
     */
    public static List<byte[]> payloads() {
        List<byte[]> payloads = new ArrayList<>();
        for (ApiKeys key : SupportedApis.keys()) {
            for (short v = 0; v <= SupportedApis.maxVersion(key); v++) {
                if (SupportedApis.accepts(key, v)) {
                    ByteBuffer payload = TestFrames.payload(key, v, RequestDecoderTest.sample(key, v), 0);
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    payloads.add(bytes);
                }
            }
        }
        return payloads;
    }
}
