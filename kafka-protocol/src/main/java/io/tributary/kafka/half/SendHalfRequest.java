package io.tributary.kafka.half;

import io.tributary.transactions.HalfMessage;

/**
 * SendHalf v0 (API key 32000): stores a half message, invisible until its transaction is committed.
 *
 * <pre>
 *  producer_group COMPACT_STRING | transaction_id COMPACT_STRING | topic COMPACT_STRING
 *  | partition INT32 (-1: the broker chooses, by key hash as Kafka's producer, else round robin)
 *  | timestamp INT64 (-1: the broker's clock) | key | value | headers   (see HalfRecord) | TAG_BUFFER
 * </pre>
 */
public final class SendHalfRequest extends ExtensionBody {
    public final String producerGroup;
    public final String transactionId;
    public final String topic;
    public final int partition;
    public final HalfMessage message;

    public SendHalfRequest(String producerGroup, String transactionId, String topic, int partition, HalfMessage message) {
        super(HalfApi.SEND_HALF);
        this.producerGroup = producerGroup;
        this.transactionId = transactionId;
        this.topic = topic;
        this.partition = partition;
        this.message = message;
    }

    static SendHalfRequest parse(WireReader in, long now) {
        String group = in.readString("producer_group");
        String txn = in.readString("transaction_id");
        String topic = in.readString("topic");
        int partition = in.readInt();
        HalfMessage message = HalfRecord.read(in, now);
        in.skipTaggedFields();
        return new SendHalfRequest(group, txn, topic, partition, message);
    }

    @Override
    void encode(WireWriter out) {
        out.writeNullableString(producerGroup).writeNullableString(transactionId).writeNullableString(topic)
                .writeInt(partition);
        HalfRecord.write(out, message);
        out.writeNoTaggedFields();
    }
}
