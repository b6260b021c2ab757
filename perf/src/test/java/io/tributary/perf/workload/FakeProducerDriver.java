package io.tributary.perf.workload;

import io.tributary.perf.transport.ProducerDriver;
import io.tributary.perf.transport.SendListener;
import io.tributary.perf.transport.SendSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A producer on a fake clock: send number i takes {@code sendCost.applyAsLong(i)} ns of fake time
 * and is acknowledged at the end of it (or kept pending, to test the in-flight bound).
 */
class FakeProducerDriver implements ProducerDriver {

    private final FakeClock clock;
    private final LongUnaryOperator sendCost;
    private final boolean ackImmediately;
    final List<Slot> pending = new ArrayList<>();
    final List<byte[]> keys = new ArrayList<>();
    volatile long sends;
    int flushes;

    FakeProducerDriver(FakeClock clock, LongUnaryOperator sendCost, boolean ackImmediately) {
        this.clock = clock;
        this.sendCost = sendCost;
        this.ackImmediately = ackImmediately;
    }

    @Override
    public SendSlot newSlot(SendListener listener) {
        return new Slot(listener);
    }

    @Override
    public void send(byte[] key, byte[] value, SendSlot slot) {
        clock.advance(sendCost.applyAsLong(sends++));
        keys.add(key);
        if (ackImmediately) {
            ((Slot) slot).ack();
        } else {
            pending.add((Slot) slot);
        }
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
    }

    static final class Slot extends SendSlot {
        Slot(SendListener listener) {
            super(listener);
        }

        void ack() {
            complete(null);
        }

        void fail() {
            complete(new IllegalStateException("broker said no"));
        }
    }
}
