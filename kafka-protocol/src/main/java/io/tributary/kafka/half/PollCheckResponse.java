package io.tributary.kafka.half;

import io.tributary.transactions.HalfCheckRequest;

import java.util.List;

/**
 * PollCheck v0 response: the checks handed to this member (empty when the wait ran out).
 *
 * <pre>
 *  error_code INT16 | error_message COMPACT_NULLABLE_STRING
 *  | checks COMPACT_ARRAY of { transaction_id COMPACT_STRING | topic COMPACT_STRING | partition INT32
 *                              | check INT32 (1 for the first) | timestamp | key | value | headers (see HalfRecord)
 *                              | TAG_BUFFER }
 *  | TAG_BUFFER
 * </pre>
 */
public final class PollCheckResponse extends ExtensionBody {
    public final short errorCode;
    public final String errorMessage;
    public final List<HalfCheckRequest> checks;

    public PollCheckResponse(short errorCode, String errorMessage, List<HalfCheckRequest> checks) {
        super(HalfApi.POLL_CHECK);
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.checks = List.copyOf(checks);
    }

    @Override
    void encode(WireWriter out) {
        out.writeShort(errorCode).writeNullableString(errorMessage).writeArrayLength(checks.size());
        for (HalfCheckRequest check : checks) {
            out.writeNullableString(check.transactionId()).writeNullableString(check.topic())
                    .writeInt(check.partition()).writeInt(check.check());
            HalfRecord.write(out, check.message() != null ? check.message()
                    : new io.tributary.transactions.HalfMessage(-1L, null, null, List.of()));
            out.writeNoTaggedFields();
        }
        out.writeNoTaggedFields();
    }
}
