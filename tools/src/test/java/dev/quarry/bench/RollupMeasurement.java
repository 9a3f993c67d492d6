package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.duckdb.DuckDbParquetMerger;
import dev.quarry.duckdb.DuckDbQueryEngine;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.table.Compactor;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.DeferredDeletion;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.local.table.TableState;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What per-file rollups cost and gain on the benchmark's records (not a build test: its name matches no surefire
 * include): 2.1 M records over 30 days ({@link Bench.Generator}, 10 flushes a day), merged per day by the
 * {@link Compactor}; then each summary over 30 days and over the last day, p50 of 31 runs after 5 warm-ups, read by
 * the server's query engine in-process with rollups and without (alternating run by run, same files, same moment);
 * the bytes the rollups add; and what they add to a flush (the same segment converted with and without) and to a
 * merge (the same inputs merged with and without). Run:
 * {@code ./mvnw -B -o -pl tools test -Dtest=RollupMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RollupMeasurement {
    private static final int DAYS = 30;
    private static final int RECORDS_PER_DAY = 70_000;
    private static final int FLUSHES_PER_DAY = 10;
    private static final int WARMUP = 5;
    private static final int RUNS = 31;
    private static final LocalDate FIRST = LocalDate.parse("2026-10-01");

    @TempDir
    Path work;

    @Test
    void measure() throws Exception {
        Bench.Generator generator = new Bench.Generator(42);
        Path dataDir = work.resolve("data");
        TableState table = TableState.open(dataDir);
        long flushNanos = 0;
        try (TestingDataset dataset = TestingDataset.in(dataDir, table)) {
            for (int d = 0; d < DAYS; d++) {
                long dayStart = FIRST.plusDays(d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                for (int f = 0; f < FLUSHES_PER_DAY; f++) {
                    List<String> bodies = new ArrayList<>();
                    for (int r = 0; r < RECORDS_PER_DAY / FLUSHES_PER_DAY; r += 500) {
                        bodies.add(new String(generator.body(500, dayStart, 86_400_000L - 120_000),
                                StandardCharsets.UTF_8));
                    }
                    long t = System.nanoTime();
                    dataset.writeBodies(bodies, Instant.ofEpochMilli(dayStart + 86_400_000L - 60_000));
                    flushNanos += System.nanoTime() - t;
                }
            }
        }
        System.out.printf(Locale.ROOT, "wrote %,d records in %d flushes, %.1f s of flushing%n",
                (long) DAYS * RECORDS_PER_DAY, DAYS * FLUSHES_PER_DAY, flushNanos / 1e9);

        flushCost(generator);
        mergeCost(dataDir);

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (DuckDbParquetMerger merger = new DuckDbParquetMerger("256MB", work.resolve("spill"))) {
            java.util.logging.Logger.getLogger(Compactor.class.getName()).setLevel(java.util.logging.Level.WARNING);
            long t = System.nanoTime();
            new Compactor(table, merger, new DeferredDeletion(scheduler, Duration.ZERO), 128L * 1024 * 1024,
                    Duration.ZERO, new QuarryMetrics(new SimpleMeterRegistry())).compactDue();
            System.out.printf(Locale.ROOT, "compacted %d days in %.1f s%n", DAYS, (System.nanoTime() - t) / 1e9);
        } finally {
            scheduler.shutdown();
        }

        LocalDate last = FIRST.plusDays(DAYS - 1);
        long dataBytes = 0;
        long hoursBytes = 0;
        long messagesBytes = 0;
        int files = 0;
        int withMessages = 0;
        for (LiveFiles.Live live : LiveFiles.forDaysWithRollups(dataDir, FIRST, last)) {
            files++;
            dataBytes += Files.size(live.file());
            if (live.rollup("hours") != null) {
                hoursBytes += Files.size(live.rollup("hours"));
            }
            if (live.rollup("messages") != null) {
                messagesBytes += Files.size(live.rollup("messages"));
                withMessages++;
            }
        }
        System.out.printf(Locale.ROOT, "live: %d files, %,d bytes; hours rollups %,d bytes (%.2f %%); messages rollups"
                + " on %d files, %,d bytes%n", files, dataBytes, hoursBytes, 100.0 * hoursBytes / dataBytes,
                withMessages, messagesBytes);

        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            System.out.println("| summary | range | rows p50 ms | rollups p50 ms |");
            System.out.println("|---|---|---|---|");
            for (CannedQuery query : CannedQuery.values()) {
                measure(engine, query, FIRST, last, "30 d");
                measure(engine, query, last, last, "1 d");
            }
        }
    }

    private static void measure(DuckDbQueryEngine engine, CannedQuery query, LocalDate from, LocalDate to,
            String range) throws Exception {
        BoundQuery bound = SummaryRequest.parse(query, Map.of("from", List.of(from.toString()), "to",
                List.of(to.toString())), to).bind();
        long[] rows = new long[RUNS];
        long[] rollups = new long[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            // Each side goes first every other run: the second of two runs in a row tends to be the slower here.
            boolean rowsFirst = (i & 1) == 0;
            long[] nanos = new long[2];
            List<List<Object>> expected = null;
            List<List<Object>> actual = null;
            for (int side = 0; side < 2; side++) {
                boolean overRows = (side == 0) == rowsFirst;
                engine.useRollups(!overRows);
                long t = System.nanoTime();
                List<List<Object>> answer = engine.run(bound);
                nanos[overRows ? 0 : 1] = System.nanoTime() - t;
                if (overRows) {
                    expected = answer;
                } else {
                    actual = answer;
                }
            }
            long rowNanos = nanos[0];
            long rollupNanos = nanos[1];
            assertThat(actual).isEqualTo(expected);
            if (i >= 0) {
                rows[i] = rowNanos;
                rollups[i] = rollupNanos;
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", query.queryName(), range, p50(rows),
                p50(rollups));
    }

    private static double p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    /** One flush's segment (one day) converted 20 times with rollups and 20 times without ({@link FlushCost}). */
    private void flushCost(Bench.Generator generator) throws Exception {
        FlushCost.Result cost = FlushCost.measure(work, generator, FIRST, RECORDS_PER_DAY / FLUSHES_PER_DAY);
        assertThat(Files.exists(DataLayout.rollup(cost.stagedFile(), "hours"))).isTrue();
        System.out.printf(Locale.ROOT, "flush of %,d records (one day): p50 %.1f ms with rollups, %.1f ms without%n",
                RECORDS_PER_DAY / FLUSHES_PER_DAY, cost.p50WithMs(), cost.p50WithoutMs());
    }

    /** The last day's 10 files merged 5 times with rollups and 5 times without. */
    private void mergeCost(Path dataDir) throws Exception {
        LocalDate day = FIRST.plusDays(DAYS - 1);
        List<Path> inputs = LiveFiles.forDays(dataDir, day, day);
        Path out = work.resolve("merge-cost");
        Files.createDirectories(out);
        long[] with = new long[5];
        long[] without = new long[5];
        try (DuckDbParquetMerger merger = new DuckDbParquetMerger("256MB", work.resolve("spill-cost"))) {
            for (int i = -1; i < 5; i++) {
                int n = i + 1;
                long t = System.nanoTime();
                merger.merge(inputs, out.resolve(DataLayout.stagingFile("quarry-merged-cost-" + n)));
                long a = System.nanoTime() - t;
                t = System.nanoTime();
                merger.merge(inputs, out.resolve("plain-" + n + ".parquet"));
                long b = System.nanoTime() - t;
                if (i >= 0) {
                    with[i] = a;
                    without[i] = b;
                }
            }
        }
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(DataLayout::isStaging);
        }
        System.out.printf(Locale.ROOT, "merge of %d files, %,d records: p50 %.1f ms with rollups, %.1f ms without%n",
                inputs.size(), RECORDS_PER_DAY, p50(with), p50(without));
    }
}
