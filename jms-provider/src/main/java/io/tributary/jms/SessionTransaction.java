package io.tributary.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka transaction of one transacted session: a transactional {@link KafkaProducer} of its own, with
 * {@code transactional.id} {@code jms-tx-<connection id>-<n>} (unique per session, never reused, so one session
 * never fences another). The producer is created, and {@code initTransactions} called, on the session's first send
 * or first commit with consumer offsets; a Kafka transaction begins at the first send or offset of each JMS
 * transaction, so a JMS transaction that only received from queues or non-durable subscribers touches no
 * transaction coordinator.
 *
 * <p>Not thread-safe on its own: the session calls it under its transaction lock.
 */
final class SessionTransaction {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final TributaryConnection connection;
    private final String transactionalId;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean begun;

    SessionTransaction(TributaryConnection connection) {
        this.connection = connection;
        this.transactionalId = "jms-tx-" + connection.id() + "-" + COUNTER.incrementAndGet();
    }

    String transactionalId() {
        return transactionalId;
    }

    private void begin() throws JMSException {
        if (begun) {
            return;
        }
        try {
            if (producer == null) {
                // a commit is acknowledged once its messages are on the device, as a PERSISTENT send
                Properties config = connection.producerConfig("jms-tx-producer-" + connection.id()
                        + TributaryConnection.FSYNC_SUFFIX);
                config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                producer = new KafkaProducer<>(config);
                producer.initTransactions();
            }
            producer.beginTransaction();
            begun = true;
        } catch (KafkaException e) {
            throw Errors.cause("cannot begin a transaction (transactional.id " + transactionalId + ")", e);
        }
    }

    /** Sends {@code record} inside the current transaction; {@code callback} runs on the producer's I/O thread. */
    void send(ProducerRecord<byte[], byte[]> record, Callback callback) throws JMSException {
        begin();
        try {
            producer.send(record, callback);
        } catch (KafkaException e) {
            throw Errors.cause("send to " + record.topic() + " failed", e);
        }
    }

    /** Adds a durable subscription's consumed positions to the current transaction (TxnOffsetCommit). */
    void sendOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) throws JMSException {
        if (offsets.isEmpty()) {
            return;
        }
        begin();
        try {
            producer.sendOffsetsToTransaction(offsets, group);
        } catch (KafkaException e) {
            throw Errors.cause("cannot add the offsets of " + group.groupId() + " to the transaction", e);
        }
    }

    /**
     * Commits the Kafka transaction (waiting for every send in it). On failure the transaction is aborted and a
     * {@link TransactionRolledBackException} thrown.
     */
    void commit() throws JMSException {
        if (!begun) {
            return;
        }
        try {
            producer.commitTransaction();
            begun = false;
        } catch (KafkaException e) {
            abortAfter(e);
            TransactionRolledBackException rolledBack = new TransactionRolledBackException(
                    "the transaction could not be committed and was rolled back: " + e);
            rolledBack.setLinkedException(e);
            rolledBack.initCause(e);
            throw rolledBack;
        }
    }

    private void abortAfter(KafkaException failure) {
        try {
            abort();
        } catch (JMSException e) {
            failure.addSuppressed(e);
        }
    }

    /** Aborts the Kafka transaction: its sends are never visible to read_committed consumers. */
    void abort() throws JMSException {
        if (!begun) {
            return;
        }
        begun = false;
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // a fenced or failed producer cannot abort; the coordinator aborts the transaction when it times out
            KafkaProducer<byte[], byte[]> broken = producer;
            producer = null;
            broken.close(Duration.ZERO);
            throw Errors.cause("cannot abort the transaction (transactional.id " + transactionalId + "); the broker"
                    + " aborts it after transaction.timeout.ms", e);
        }
    }

    /** Aborts what is open and closes the producer. */
    void close() throws JMSException {
        try {
            abort();
        } finally {
            if (producer != null) {
                producer.close(Duration.ofMillis(connection.options().sendTimeoutMs()));
                producer = null;
            }
        }
    }
}
