package dev.quarry.local.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes files that left the table once the grace period has passed, so that a statement that read the previous
 * manifest (in this server, or {@code scripts/sql} beside it) still finds every file it named. Deletions a stop or
 * a crash cuts are found again on the next start ({@link TableState#unreferenced}).
 */
public final class DeferredDeletion {
    private static final Logger LOG = Logger.getLogger(DeferredDeletion.class);

    private final ScheduledExecutorService scheduler;
    private final Duration gracePeriod;

    public DeferredDeletion(ScheduledExecutorService scheduler, Duration gracePeriod) {
        this.scheduler = scheduler;
        this.gracePeriod = gracePeriod;
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    public void deleteLater(Collection<Path> files) {
        List<Path> copy = List.copyOf(files);
        scheduler.schedule(() -> delete(copy), gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes {@code files}, then the day's manifest and directory if the day is still empty by then. */
    void deleteDayLater(TableState table, LocalDate day, Collection<Path> files) {
        List<Path> copy = List.copyOf(files);
        scheduler.schedule(() -> {
            delete(copy);
            // A late record may have brought the day back meanwhile; then its manifest stays.
            synchronized (table) {
                if (!table.snapshot().getOrDefault(day, List.of()).isEmpty()) {
                    return;
                }
                Path directory = table.directory(day);
                try {
                    // Without its manifest a day is read by listing it, so the manifest goes only with the last file.
                    try (var left = Files.list(directory)) {
                        if (left.map(p -> p.getFileName().toString()).anyMatch(name -> !name.equals(DataLayout.MANIFEST)
                                && !name.equals(DataLayout.temporary(DataLayout.MANIFEST)))) {
                            LOG.warnf("Cannot remove %s, because it still holds files the table does not name",
                                    directory);
                            return;
                        }
                    }
                    Files.deleteIfExists(DataLayout.manifest(directory));
                    Files.deleteIfExists(directory.resolve(DataLayout.temporary(DataLayout.MANIFEST)));
                    Files.deleteIfExists(directory);
                    table.forget(day);
                } catch (IOException e) {
                    LOG.warnf("Cannot remove %s: %s", directory, e);
                }
            }
        }, gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void delete(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("Cannot delete the replaced file %s (it is deleted on the next start): %s", file, e);
            }
        }
    }
}
