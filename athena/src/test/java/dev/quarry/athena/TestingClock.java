package dev.quarry.athena;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told; its {@link #sleep} advances it, so polling tests take no real time. */
final class TestingClock extends Clock {
    private volatile Instant now;
    final java.util.List<Duration> sleeps = new java.util.concurrent.CopyOnWriteArrayList<>();

    TestingClock(Instant start) {
        this.now = start;
    }

    void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(now, zone);
    }
}
