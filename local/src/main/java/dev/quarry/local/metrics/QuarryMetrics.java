package dev.quarry.local.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The pipeline's counters, served at {@code /q/metrics} in the Prometheus text format (Micrometer appends
 * {@code _total}: {@code quarry_flush_runs_total}). They show what ingest, flushes, compaction and retention cost.
 */
@Singleton
public class QuarryMetrics {
    /** Every counter; its meter name is its own in lower case with dots: {@code quarry.flush.runs}. */
    public enum Count {
        INGEST_REQUESTS("Requests whose records were acknowledged"),
        INGEST_RECORDS("Records acknowledged"),
        FLUSH_RUNS("Flushes that wrote records to Parquet"),
        FLUSH_RECORDS("Records written to Parquet by flushes"),
        FLUSH_FILES("Parquet files written by flushes"),
        COMPACTION_RUNS("Compactions committed"),
        COMPACTION_FILES_IN("Files replaced by compactions"),
        COMPACTION_FILES_OUT("Files written by compactions"),
        COMPACTION_BYTES_IN("Bytes read by compactions"),
        COMPACTION_BYTES_OUT("Bytes written by compactions"),
        COMPACTION_RECORDS("Records written by compactions (over flush.records: the write amplification)"),
        COMPACTION_SECONDS("Time spent compacting"),
        RETENTION_DAYS_REMOVED("Days removed by retention");

        private final String description;

        Count(String description) {
            this.description = description;
        }

        String meterName() {
            return "quarry." + name().toLowerCase(Locale.ROOT).replace('_', '.');
        }
    }

    private final Map<Count, Counter> counters = new EnumMap<>(Count.class);
    private final MeterRegistry registry;

    @Inject
    public QuarryMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Count count : Count.values()) {
            counters.put(count, Counter.builder(count.meterName()).description(count.description).register(registry));
        }
    }

    /**
     * Gauges of one of the server's DuckDB databases ({@code query}, {@code flush} or {@code merge}):
     * {@code quarry_duckdb_memory_bytes} (its buffer manager's memory now) and {@code quarry_duckdb_temporary_bytes}
     * (what it spilled to disk now), read when {@code /q/metrics} is scraped.
     */
    public void duckDb(String database, Supplier<Number> memoryBytes, Supplier<Number> temporaryBytes) {
        Gauge.builder("quarry.duckdb.memory", memoryBytes).tag("database", database).baseUnit("bytes")
                .description("Memory held by DuckDB's buffer manager in this database").strongReference(true)
                .register(registry);
        Gauge.builder("quarry.duckdb.temporary", temporaryBytes).tag("database", database).baseUnit("bytes")
                .description("Bytes this DuckDB database spilled to its temporary directory").strongReference(true)
                .register(registry);
    }

    /** The counter's value so far. */
    public double count(Count count) {
        return counters.get(count).count();
    }

    private void add(Count count, double amount) {
        counters.get(count).increment(amount);
    }

    public void ingested(int records) {
        add(Count.INGEST_REQUESTS, 1);
        add(Count.INGEST_RECORDS, records);
    }

    /** A flush that wrote {@code records} into {@code files} (one per day); an empty one counts for nothing. */
    public void flushed(long records, int files) {
        if (records > 0) {
            add(Count.FLUSH_RUNS, 1);
            add(Count.FLUSH_RECORDS, records);
            add(Count.FLUSH_FILES, files);
        }
    }

    /** A committed merge of {@code filesIn} files into one. */
    public void compacted(int filesIn, long bytesIn, long bytesOut, long records, double seconds) {
        add(Count.COMPACTION_RUNS, 1);
        add(Count.COMPACTION_FILES_IN, filesIn);
        add(Count.COMPACTION_FILES_OUT, 1);
        add(Count.COMPACTION_BYTES_IN, bytesIn);
        add(Count.COMPACTION_BYTES_OUT, bytesOut);
        add(Count.COMPACTION_SECONDS, seconds);
        add(Count.COMPACTION_RECORDS, records);
    }

    public void removedDay() {
        add(Count.RETENTION_DAYS_REMOVED, 1);
    }
}
