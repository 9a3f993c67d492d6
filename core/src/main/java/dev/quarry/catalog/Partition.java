package dev.quarry.catalog;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One event-day partition of the logs table.
 *
 * @param day the {@code dt} value
 * @param location where the day's files live, ending in {@code /}: {@code s3://bucket/logs/dt=2026-11-26/}
 *                 on AWS, a {@code file:} URI locally
 */
public record Partition(LocalDate day, String location) {
    public Partition {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(location, "location");
    }
}
