package io.tributary.kafka.half;

/**
 * EndHalf v0 (API key 32001): the producer's decision, or its answer to a check.
 *
 * <pre>
 *  producer_group COMPACT_STRING | transaction_id COMPACT_STRING
 *  | outcome INT8 (0 unknown: nothing changes, the checks go on; 1 commit; 2 rollback)
 *  | check INT32 (the check this answers, from PollCheck; 0 for the producer's own decision) | TAG_BUFFER
 * </pre>
 */
public final class EndHalfRequest extends ExtensionBody {
    public static final byte UNKNOWN = 0;
    public static final byte COMMIT = 1;
    public static final byte ROLLBACK = 2;

    public final String producerGroup;
    public final String transactionId;
    public final byte outcome;
    public final int check;

    public EndHalfRequest(String producerGroup, String transactionId, byte outcome, int check) {
        super(HalfApi.END_HALF);
        this.producerGroup = producerGroup;
        this.transactionId = transactionId;
        this.outcome = outcome;
        this.check = check;
    }

    static EndHalfRequest parse(WireReader in) {
        String group = in.readString("producer_group");
        String txn = in.readString("transaction_id");
        byte outcome = in.readByte();
        if (outcome != UNKNOWN && outcome != COMMIT && outcome != ROLLBACK) {
            throw new MalformedBodyException("outcome must be 0 (unknown), 1 (commit) or 2 (rollback), got " + outcome);
        }
        int check = in.readInt();
        in.skipTaggedFields();
        return new EndHalfRequest(group, txn, outcome, check);
    }

    @Override
    void encode(WireWriter out) {
        out.writeNullableString(producerGroup).writeNullableString(transactionId).writeByte(outcome).writeInt(check)
                .writeNoTaggedFields();
    }
}
