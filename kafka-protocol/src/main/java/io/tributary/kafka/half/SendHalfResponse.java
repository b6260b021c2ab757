package io.tributary.kafka.half;

/**
 * SendHalf v0 response.
 *
 * <pre>
 *  error_code INT16 | error_message COMPACT_NULLABLE_STRING | partition INT32 (the one chosen) | TAG_BUFFER
 * </pre>
 */
public final class SendHalfResponse extends ExtensionBody {
    public final short errorCode;
    public final String errorMessage;
    public final int partition;

    public SendHalfResponse(short errorCode, String errorMessage, int partition) {
        super(HalfApi.SEND_HALF);
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.partition = partition;
    }

    @Override
    void encode(WireWriter out) {
        out.writeShort(errorCode).writeNullableString(errorMessage).writeInt(partition).writeNoTaggedFields();
    }
}
