package io.tributary.log.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A UTC clock that stands still until a test moves it; safe to read and move from any thread. */
public final class MutableClock extends Clock {
    private final AtomicLong millis;

    /** A clock reading {@code startMillis} (milliseconds since the epoch) until advanced. */
    public MutableClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** Moves the clock by {@code ms} milliseconds (backwards when negative). */
    public void advance(long ms) {
        millis.addAndGet(ms);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Returns this same clock: the zone never changes what {@link #millis()} reads. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
