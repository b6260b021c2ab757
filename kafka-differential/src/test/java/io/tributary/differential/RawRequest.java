package io.tributary.differential;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * One request over a fresh plaintext connection, encoded and decoded with kafka-clients' message classes: for
 * fields the Admin client consumes without showing them (a DescribeTopicPartitions cursor, say).
 */
final class RawRequest {
    private RawRequest() {
    }

    /** Sends {@code body} as {@code key} v{@code version} to {@code broker} and returns the parsed response body. */
    static ApiMessage call(ChildBroker broker, ApiKeys key, short version, ApiMessage body) throws IOException {
        String[] hostPort = broker.bootstrapServers().split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(frame(key, version, body));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            ByteBuffer response = ByteBuffer.wrap(payload);
            ResponseHeader.parse(response, key.responseHeaderVersion(version));
            return AbstractResponse.parseResponse(key, new ByteBufferAccessor(response), version).data();
        }
    }

    private static byte[] frame(ApiKeys key, short version, ApiMessage body) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setClientId("differential").setCorrelationId(1);
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }
}
