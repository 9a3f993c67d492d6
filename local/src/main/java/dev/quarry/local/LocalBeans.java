package dev.quarry.local;

import dev.quarry.duckdb.DuckDbParquetMerger;
import dev.quarry.duckdb.DuckDbQueryEngine;
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
 * one of them: it comes out of {@link Recovery} with the write-ahead log and the table it writes for, and the
 * pipeline closes it after its last flush.) They are closed when the
 * application's beans are destroyed, which Quarkus does after every {@code ShutdownEvent} observer has run, so after
 * the pipeline's last flush. {@code @Singleton} rather than {@code @ApplicationScoped}: the engines are final
 * classes, which a client proxy cannot wrap, and nothing here needs one.
 */
@Singleton
public class LocalBeans {

    @Produces
    @Singleton
    DuckDbQueryEngine queryEngine(LocalConfig config) throws IOException {
        return new DuckDbQueryEngine(config.dataDir().toAbsolutePath().normalize().resolve("logs"));
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
    ParquetMerger parquetMerger() throws IOException {
        return new DuckDbParquetMerger();
    }

    void close(@Disposes ParquetMerger merger) {
        merger.close();
    }
}
