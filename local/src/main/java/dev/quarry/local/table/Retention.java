package dev.quarry.local.table;

import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.metrics.QuarryMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code QUARRY_RETENTION_DAYS}: removes whole days older than N days by {@code dt} (a day {@code dt} goes once
 * {@code dt < today (UTC) - N}), the local twin of the S3 lifecycle rule on {@code logs/}. A day leaves the table
 * first (its manifest is emptied, so no statement reads it any more), then its files after the grace period. The
 * pipeline applies it before it reports ready and then every hour.
 */
public final class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final TableState table;
    private final DeferredDeletion deletion;
    private final int days;
    private final Clock clock;
    private final QuarryMetrics metrics;

    public Retention(TableState table, DeferredDeletion deletion, int days, Clock clock, QuarryMetrics metrics) {
        if (days < 1) {
            throw new IllegalArgumentException("Cannot keep " + days + " days of logs, because quarry.retention-days"
                    + " (QUARRY_RETENTION_DAYS) must be at least 1");
        }
        this.table = table;
        this.deletion = deletion;
        this.days = days;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The oldest day kept today. */
    LocalDate oldestKept() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(days);
    }

    /** Removes the days before {@link #oldestKept}; returns how many. */
    public int apply() throws IOException {
        LocalDate oldestKept = oldestKept();
        int removed = 0;
        for (LocalDate day : table.snapshot().keySet()) {
            if (!day.isBefore(oldestKept)) {
                continue;
            }
            Set<String> files = table.empty(day);
            Path directory = table.directory(day);
            deletion.deleteDayLater(table, day,
                    DataLayout.withRollups(files.stream().map(directory::resolve).toList()));
            if (!files.isEmpty()) {
                removed++;
                if (metrics != null) {
                    metrics.removedDay();
                }
                LOG.infof("Retention: removed %s (%d file(s)), older than %d day(s)", PartitionKeys.directoryName(day),
                        files.size(), days);
            }
        }
        return removed;
    }

    /** For the scheduler: a failure is logged and retried at the next run. */
    public void applyLogged() {
        try {
            apply();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Retention failed; it is tried again in an hour: %s", e);
        }
    }
}
