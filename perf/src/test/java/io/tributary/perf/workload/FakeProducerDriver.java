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
    /** Fake time each commit takes. */
    long commitCost;
    boolean inTransaction;
    /** Sends outside a transaction while one was expected, i.e. after the first begin. */
    int sendsOutsideTransaction;
    /** The number of sends so far at each commit. */
    final List<Long> sendsAtCommit = new ArrayList<>();

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
        if (!inTransaction && !sendsAtCommit.isEmpty()) {
            sendsOutsideTransaction++;
        }
        clock.advance(sendCost.applyAsLong(sends++));
        keys.add(key);
        if (ackImmediately) {
            ((Slot) slot).ack();
        } else {
            pending.add((Slot) slot);
        }
    }

    @Override
    public void beginTransaction() {
        if (inTransaction) {
            throw new IllegalStateException("a transaction is already open");
        }
        inTransaction = true;
    }

    @Override
    public void commitTransaction() {
        if (!inTransaction) {
            throw new IllegalStateException("no transaction is open");
        }
        clock.advance(commitCost);
        inTransaction = false;
        sendsAtCommit.add(sends);
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
