package dev.quarry.record;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;

/**
 * One accepted log record, as stored: every field validated, the event time resolved and the event day
 * ({@code dt}) chosen by the recency window.
 *
 * @param timestamp the event time as sent (or {@code receivedAt} when absent), in whole
 *        milliseconds (floored, {@link Timestamps#floorToMillis}), as {@code receivedAt}
 * @param attributes never null; empty when the record had none
 * @param day the partition the record is filed under ({@link EventDay#of})
 */
public record LogRecord(
        String source,
        String logtype,
        Instant timestamp,
        String message,
        Map<String, String> attributes,
        Instant receivedAt,
        LocalDate day) {

    public LogRecord {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(logtype, "logtype");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(message, "message");
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                Objects.requireNonNull(attributes, "attributes")));
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(day, "day");
    }
}
