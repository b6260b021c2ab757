package io.tributary.kafka.half;

/**
 * The body of an extension request whose header was read but whose body was not: a wrong version or a
 * layout error. Its handler answers with {@link #errorCode} and {@link #reason}, so the connection and the
 * requests behind it go on.
 */
public final class MalformedRequest extends ExtensionBody {
    public final short errorCode;
    public final String reason;

    MalformedRequest(HalfApi api, short errorCode, String reason) {
        super(api);
        this.errorCode = errorCode;
        this.reason = reason;
    }

    @Override
    void encode(WireWriter out) {
        throw new UnsupportedOperationException("a malformed request is never written");
    }
}
