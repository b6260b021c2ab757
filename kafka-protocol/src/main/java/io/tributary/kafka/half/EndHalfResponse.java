package io.tributary.kafka.half;

/**
 * EndHalf v0 response (also the shape of every extension's error answer before its own fields).
 *
 * <pre>
 *  error_code INT16 | error_message COMPACT_NULLABLE_STRING | TAG_BUFFER
 * </pre>
 */
public final class EndHalfResponse extends ExtensionBody {
    public final short errorCode;
    public final String errorMessage;

    public EndHalfResponse(short errorCode, String errorMessage) {
        super(HalfApi.END_HALF);
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
    }

    @Override
    void encode(WireWriter out) {
        out.writeShort(errorCode).writeNullableString(errorMessage).writeNoTaggedFields();
    }
}
