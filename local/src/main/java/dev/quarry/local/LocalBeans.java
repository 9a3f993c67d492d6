package dev.quarry.local;

import dev.quarry.duckdb.DuckDbMemory;
import dev.quarry.duckdb.DuckDbParquetMerger;
import dev.quarry.duckdb.DuckDbQueryEngine;
import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.ParquetMerger;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.SummaryService;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;

/**
 * Wires the local pipeline's engines, as {@code SummaryFunctionBeans} wires the Lambda function's: one of each per
 * process, each an in-memory DuckDB that touches the data directory only when it is used. (The Parquet writer is not
 * one of them: it comes out of {@code Recovery} with the write-ahead log and the table it writes for, and the
 * pipeline closes it after its last flush.) They are closed when the
 * application's beans are destroyed, which Quarkus does after every {@code ShutdownEvent} observer has run, so after
 * the pipeline's last flush. {@code @Singleton} rather than {@code @ApplicationScoped}: the engines are final
 * classes, which a client proxy cannot wrap, and nothing here needs one.
 */
@Singleton
public class LocalBeans {

    @Produces
    @Singleton
    DataLayout layout(LocalConfig config) {
        return DataLayout.of(config.dataDir().toAbsolutePath().normalize());
    }

    @Produces
    @Singleton
    DuckDbQueryEngine queryEngine(DataLayout layout, LocalConfig config, QuarryMetrics metrics) throws IOException {
        int threads = config.duckdb().queryThreads() > 0 ? config.duckdb().queryThreads()
                : Runtime.getRuntime().availableProcessors();
        DuckDbQueryEngine engine = new DuckDbQueryEngine(layout.logs(), config.duckdb().queryMemoryLimit(), threads,
                layout.spill("query"), config.summary().cachedAnswers());
        DuckDbMemory memory = engine.memory();
        metrics.duckDb("query", memory::memoryBytes, memory::temporaryBytes);
        return engine;
    }

    void close(@Disposes DuckDbQueryEngine engine) {
        engine.close();
    }

    @Produces
    @Singleton
    SummaryService summaryService(DuckDbQueryEngine engine, LocalConfig config) {
        return new SummaryService(engine, engine, Clock.systemUTC(), CachePolicy.withRetention(config.retentionDays()));
    }

    /** Compaction's. Its close waits for a merge under way. */
    @Produces
    @Singleton
    ParquetMerger parquetMerger(DataLayout layout, LocalConfig config, QuarryMetrics metrics) throws IOException {
        DuckDbParquetMerger merger = new DuckDbParquetMerger(config.duckdb().mergeMemoryLimit(), layout.spill("merge"));
        DuckDbMemory memory = merger.memory();
        metrics.duckDb("merge", memory::memoryBytes, memory::temporaryBytes);
        return merger;
    }

    void close(@Disposes ParquetMerger merger) {
        merger.close();
    }
}
