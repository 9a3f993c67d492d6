package dev.quarry.record;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The recency window: a record is filed under its UTC event day when its timestamp lies within
 * [received - 14 days, received + 2 hours]; otherwise under the UTC day it was received. This bounds the
 * number of partitions Firehose holds open (at most 500 per buffer) and keeps days older than 14 days
 * closed, while losing nothing: the record keeps its timestamp as sent.
 */
public final class EventDay {
    public static final Duration MAX_AGE = Duration.ofDays(14);
    public static final Duration MAX_AHEAD = Duration.ofHours(2);

    private EventDay() {
    }

    public static LocalDate of(Instant timestamp, Instant receivedAt) {
        boolean recent = !timestamp.isBefore(receivedAt.minus(MAX_AGE))
                && !timestamp.isAfter(receivedAt.plus(MAX_AHEAD));
        return utcDay(recent ? timestamp : receivedAt);
    }

    public static LocalDate utcDay(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
