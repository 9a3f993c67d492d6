package dev.quarry.local;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The pipeline's counters, served at {@code /q/metrics} in the Prometheus text format (Micrometer appends
 * {@code _total}: {@code quarry_flush_runs_total}). They show what ingest, flushes, compaction and retention cost.
 */
@Singleton
public class QuarryMetrics {
    final Counter ingestRequests;
    final Counter ingestRecords;
    final Counter flushRuns;
    final Counter flushRecords;
    final Counter flushFiles;
    final Counter compactionRuns;
    final Counter compactionFilesIn;
    final Counter compactionFilesOut;
    final Counter compactionBytesIn;
    final Counter compactionBytesOut;
    final Counter compactionSeconds;
    final Counter retentionDaysRemoved;

    @Inject
    public QuarryMetrics(MeterRegistry registry) {
        ingestRequests = counter(registry, "quarry.ingest.requests", "Requests whose records were acknowledged");
        ingestRecords = counter(registry, "quarry.ingest.records", "Records acknowledged");
        flushRuns = counter(registry, "quarry.flush.runs", "Flushes that wrote records to Parquet");
        flushRecords = counter(registry, "quarry.flush.records", "Records written to Parquet by flushes");
        flushFiles = counter(registry, "quarry.flush.files", "Parquet files written by flushes");
        compactionRuns = counter(registry, "quarry.compaction.runs", "Compactions committed");
        compactionFilesIn = counter(registry, "quarry.compaction.files.in", "Files replaced by compactions");
        compactionFilesOut = counter(registry, "quarry.compaction.files.out", "Files written by compactions");
        compactionBytesIn = counter(registry, "quarry.compaction.bytes.in", "Bytes read by compactions");
        compactionBytesOut = counter(registry, "quarry.compaction.bytes.out", "Bytes written by compactions");
        compactionSeconds = counter(registry, "quarry.compaction.seconds", "Time spent compacting");
        retentionDaysRemoved = counter(registry, "quarry.retention.days.removed", "Days removed by retention");
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void ingested(int records) {
        ingestRequests.increment();
        ingestRecords.increment(records);
    }

    void flushed(Flusher.Result result) {
        if (result.records() > 0) {
            flushRuns.increment();
            flushRecords.increment(result.records());
            flushFiles.increment(result.recordsPerDay().size());
        }
    }
}
