package dev.quarry.search;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One stored record as a search returns it.
 *
 * @param attributes never null (a record without attributes has none), ordered by key
 */
public record SearchRow(Instant timestamp, String dt, String source, String logtype, String message,
        Map<String, String> attributes) {
    public SearchRow {
        Objects.requireNonNull(timestamp, "timestamp");
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
    }
}
