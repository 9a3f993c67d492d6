package dev.quarry.local.table;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.os.DaemonThreads;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Compaction, deletion of replaced files and retention, on one background thread of their own. Started after
 * recovery and before the flusher runs: a file the flusher is adding to the table would look unreferenced.
 */
public final class Maintenance {
    private final ScheduledExecutorService executor;
    private final Compactor compactor;

    private Maintenance(ScheduledExecutorService executor, Compactor compactor) {
        this.executor = executor;
        this.compactor = compactor;
    }

    public static Maintenance start(TableState table, ParquetMerger merger,
            LocalConfig config, QuarryMetrics metrics) throws IOException {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("quarry-compactor"));
        try {
            DeferredDeletion deletion = new DeferredDeletion(executor, config.compaction().gracePeriod());
            deletion.deleteLater(table.unreferenced());
            if (config.retentionDays().isPresent()) {
                Retention retention = new Retention(table, deletion, config.retentionDays().get(),
                        Clock.systemUTC(), metrics);
                retention.apply();
                executor.scheduleWithFixedDelay(retention::applyLogged, 1, 1, TimeUnit.HOURS);
            }
            Compactor compactor = new Compactor(table, merger, deletion, config.compaction().targetFileBytes(),
                    config.compaction().openDayFileBytes(), config.compaction().quietAfter(), metrics,
                    Checkpoints.NONE);
            long every = config.compaction().checkInterval().toMillis();
            executor.scheduleWithFixedDelay(compactor::compactDue, every, every, TimeUnit.MILLISECONDS);
            return new Maintenance(executor, compactor);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /** Starts nothing new; a merge under way finishes (one cut by the exit is cleaned up on the next start). */
    public void stop() {
        compactor.stop();
        executor.shutdownNow();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return executor.awaitTermination(timeout, unit);
    }
}
