package io.tributary.kafka.half;

/**
 * PollCheck v0 (API key 32002): a producer-group member's long poll for check requests.
 *
 * <pre>
 *  producer_group COMPACT_STRING | max_wait_ms INT32 (0 to {@value #MAX_WAIT_MS}; more is capped) | TAG_BUFFER
 * </pre>
 */
public final class PollCheckRequest extends ExtensionBody {
    public static final int MAX_WAIT_MS = 30_000;

    public final String producerGroup;
    public final int maxWaitMs;

    public PollCheckRequest(String producerGroup, int maxWaitMs) {
        super(HalfApi.POLL_CHECK);
        this.producerGroup = producerGroup;
        this.maxWaitMs = maxWaitMs;
    }

    static PollCheckRequest parse(WireReader in) {
        String group = in.readString("producer_group");
        int maxWaitMs = in.readInt();
        if (maxWaitMs < 0) {
            throw new MalformedBodyException("max_wait_ms must not be negative, got " + maxWaitMs);
        }
        in.skipTaggedFields();
        return new PollCheckRequest(group, Math.min(maxWaitMs, MAX_WAIT_MS));
    }

    @Override
    void encode(WireWriter out) {
        out.writeNullableString(producerGroup).writeInt(maxWaitMs).writeNoTaggedFields();
    }
}
