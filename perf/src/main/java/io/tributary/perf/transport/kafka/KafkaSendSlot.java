package io.tributary.perf.transport.kafka;

import io.tributary.perf.transport.SendListener;
import io.tributary.perf.transport.SendSlot;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/** A {@link SendSlot} that is its own kafka-clients {@link Callback}. */
final class KafkaSendSlot extends SendSlot implements Callback {

    KafkaSendSlot(SendListener listener) {
        super(listener);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        complete(exception);
    }
}
