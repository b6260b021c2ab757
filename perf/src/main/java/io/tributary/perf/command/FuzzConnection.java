package io.tributary.perf.command;

import io.tributary.kafka.fuzz.FrameMutator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One fuzz sender: a non-blocking connection at a time, frames written back to back with up to
 * {@code inFlight} unanswered, answers read (and skipped) as they arrive. The connection ends when the
 * broker closes it, when a frame with a broken size prefix went out (the sender half-closes: what
 * follows would be read as the rest of that frame, and waits for the broker to close), or when nothing
 * is answered for the stall time with frames in flight; then the next one is opened.
 */
final class FuzzConnection {
    private static final int MAX_CONNECT_FAILURES_IN_A_ROW = 100;

    /** What all senders saw; printed as key=value pairs. */
    static final class Counters {
        final LongAdder sent = new LongAdder();
        final LongAdder answered = new LongAdder();
        final LongAdder connections = new LongAdder();
        final LongAdder closedByBroker = new LongAdder();
        final LongAdder brokenSizeCloses = new LongAdder();
        final LongAdder stalls = new LongAdder();
        final LongAdder connectFailures = new LongAdder();

        @Override
        public String toString() {
            return "answered=" + answered.sum() + " connections=" + connections.sum() + " closed_by_broker="
                    + closedByBroker.sum() + " broken_size_half_closes=" + brokenSizeCloses.sum() + " stalls="
                    + stalls.sum() + " connect_failures=" + connectFailures.sum();
        }
    }

    private final SocketChannel channel;
    private final SelectionKey key;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private ByteBuffer pending;
    private boolean pendingIsLast;
    private boolean halfClosed;
    private long written;
    private long answered;
    private long skip;

    private FuzzConnection(SocketChannel channel, Selector selector) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        channel.socket().setTcpNoDelay(true);
        this.key = channel.register(selector, SelectionKey.OP_READ);
    }

    /** Sends frames from {@code mutator} while {@code remaining} frames are left to claim. */
    static void send(InetSocketAddress broker, FrameMutator mutator, AtomicLong remaining, int inFlight,
                     long stallNanos, Counters counters) throws IOException {
        int failuresInARow = 0;
        try (Selector selector = Selector.open()) {
            while (remaining.get() > 0) {
                SocketChannel channel;
                try {
                    channel = SocketChannel.open(broker);
                } catch (IOException e) {
                    counters.connectFailures.increment();
                    if (++failuresInARow >= MAX_CONNECT_FAILURES_IN_A_ROW) {
                        throw new IOException(failuresInARow + " connection attempts in a row failed", e);
                    }
                    sleepQuietly(10);
                    continue;
                }
                failuresInARow = 0;
                counters.connections.increment();
                try (channel) {
                    FuzzConnection connection = new FuzzConnection(channel, selector);
                    connection.run(selector, mutator, remaining, inFlight, stallNanos, counters);
                    if (connection.pending != null) {
                        remaining.incrementAndGet(); // claimed, not (wholly) written: another sender sends one
                    }
                }
                selector.selectNow(); // drops the cancelled key of the closed channel
            }
        }
    }

    private void run(Selector selector, FrameMutator mutator, AtomicLong remaining, int inFlight, long stallNanos,
                     Counters counters) throws IOException {
        long lastProgress = System.nanoTime();
        while (true) {
            try {
                fill(mutator, remaining, inFlight, counters);
            } catch (IOException closed) {
                counters.closedByBroker.increment();
                return;
            }
            key.interestOps(SelectionKey.OP_READ | (pending != null ? SelectionKey.OP_WRITE : 0));
            selector.select(10);
            selector.selectedKeys().clear();
            int read;
            try {
                read = channel.read(in);
            } catch (IOException reset) {
                read = -1;
            }
            if (read < 0) {
                if (!halfClosed) {
                    counters.closedByBroker.increment();
                }
                return;
            }
            long now = System.nanoTime();
            if (read > 0) {
                lastProgress = now;
                countAnswers(counters);
            } else if ((written > answered || halfClosed) && now - lastProgress > stallNanos) {
                counters.stalls.increment();
                return;
            }
        }
    }

    /** Writes frames while the window allows; half-closes after a broken size prefix or the last frame. */
    private void fill(FrameMutator mutator, AtomicLong remaining, int inFlight, Counters counters) throws IOException {
        while (!halfClosed) {
            if (pending == null) {
                if (written - answered >= inFlight) {
                    return;
                }
                if (!claim(remaining)) {
                    halfClose();
                    return;
                }
                byte[] frame = mutator.next();
                pending = ByteBuffer.wrap(frame);
                pendingIsLast = pending.getInt(0) != frame.length - 4;
            }
            channel.write(pending);
            if (pending.hasRemaining()) {
                return;
            }
            pending = null;
            written++;
            counters.sent.increment();
            if (pendingIsLast) {
                counters.brokenSizeCloses.increment();
                halfClose();
            }
        }
    }

    /** Takes one frame from {@code remaining} if any is left. */
    private static boolean claim(AtomicLong remaining) {
        long left;
        do {
            left = remaining.get();
            if (left <= 0) {
                return false;
            }
        } while (!remaining.compareAndSet(left, left - 1));
        return true;
    }

    private void halfClose() throws IOException {
        halfClosed = true;
        channel.shutdownOutput();
    }

    /** Skips over whole answers (size prefix, then that many bytes) in {@code in}, counting them. */
    private void countAnswers(Counters counters) {
        in.flip();
        while (true) {
            if (skip > 0) {
                int n = (int) Math.min(skip, in.remaining());
                in.position(in.position() + n);
                skip -= n;
                if (skip > 0) {
                    break;
                }
                answered++;
                counters.answered.increment();
            } else if (in.remaining() >= 4) {
                skip = Math.max(1, in.getInt()); // a size of 0 or less is no answer the broker sends
            } else {
                break;
            }
        }
        in.compact();
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
