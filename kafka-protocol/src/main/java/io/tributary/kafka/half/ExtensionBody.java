package io.tributary.kafka.half;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.protocol.types.RawTaggedField;

import java.util.List;

/**
 * A Tributary extension body as kafka-clients' {@link ApiMessage}, so that the connection layer frames,
 * orders and writes it like any Kafka response. Immutable; encoded once, on first use, by {@link #encode}.
 * Bodies are read by their own {@code parse} methods, never through {@link #read}.
 */
public abstract class ExtensionBody implements ApiMessage {
    private final HalfApi api;
    private byte[] encoded;

    ExtensionBody(HalfApi api) {
        this.api = api;
    }

    public HalfApi api() {
        return api;
    }

    abstract void encode(WireWriter out);

    /** The body's bytes at version 0. */
    public final byte[] bytes() {
        if (encoded == null) {
            WireWriter out = new WireWriter();
            encode(out);
            encoded = out.toByteArray();
        }
        return encoded;
    }

    @Override
    public short apiKey() {
        return api.key;
    }

    @Override
    public short lowestSupportedVersion() {
        return HalfApi.VERSION;
    }

    @Override
    public short highestSupportedVersion() {
        return HalfApi.VERSION;
    }

    @Override
    public void addSize(MessageSizeAccumulator size, ObjectSerializationCache cache, short version) {
        size.addBytes(bytes().length);
    }

    @Override
    public void write(Writable out, ObjectSerializationCache cache, short version) {
        out.writeByteArray(bytes());
    }

    @Override
    public void read(Readable in, short version) {
        throw new UnsupportedOperationException("extension bodies are read by their parse methods");
    }

    @Override
    public List<RawTaggedField> unknownTaggedFields() {
        return List.of();
    }

    @Override
    public Message duplicate() {
        return this;
    }
}
