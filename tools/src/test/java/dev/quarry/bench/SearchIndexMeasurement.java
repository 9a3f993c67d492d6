package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.duckdb.DuckDbParquetMerger;
import dev.quarry.duckdb.SearchIndex;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.local.table.TableState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the search index costs (not a build test: its name matches no surefire include): one day of benchmark
 * records ({@link Bench.Generator}; {@code -Dquarry.records}, 2,000,000 by default) in {@value #FLUSHES} flushes,
 * merged into one file with its rollups and index and without either (an output name the layout gives no sidecars
 * is a merge without them), alternating, and the index alone written over the merged file; each one's time and the
 * process's peak resident memory over it ({@code VmHWM}, reset before each through {@code /proc/self/clear_refs});
 * one flush's conversion with and without; and the sidecar's bytes. Run:
 * {@code ./mvnw -B -o -pl tools test -Dtest=SearchIndexMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * -Dquarry.records=2000000}.
 */
class SearchIndexMeasurement {
    private static final int RECORDS = Integer.getInteger("quarry.records", 2_000_000);
    private static final int FLUSHES = 10;
    private static final int RUNS = 3;
    private static final LocalDate DAY = LocalDate.parse("2026-10-01");

    @TempDir
    Path work;

    @Test
    void measure() throws Exception {
        Bench.Generator generator = new Bench.Generator(42);
        Path dataDir = work.resolve("data");
        long dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (TestingDataset dataset = TestingDataset.in(dataDir, TableState.open(dataDir))) {
            for (int f = 0; f < FLUSHES; f++) {
                List<String> bodies = new ArrayList<>();
                for (int r = 0; r < RECORDS / FLUSHES; r += 500) {
                    bodies.add(new String(generator.body(500, dayStart, 86_400_000L - 120_000),
                            StandardCharsets.UTF_8));
                }
                dataset.writeBodies(bodies, Instant.ofEpochMilli(dayStart + 86_400_000L - 60_000));
            }
        }
        List<Path> inputs = LiveFiles.forDays(dataDir, DAY, DAY);
        Path out = work.resolve("merged");
        Files.createDirectories(out);
        long[] with = new long[RUNS];
        long[] without = new long[RUNS];
        long[] peakWith = new long[RUNS];
        long[] peakWithout = new long[RUNS];
        long[] alone = new long[RUNS];
        long[] peakAlone = new long[RUNS];
        long dataBytes = 0;
        long indexBytes = 0;
        try (DuckDbParquetMerger merger = new DuckDbParquetMerger("256MB", work.resolve("spill"))) {
            for (int i = -1; i < RUNS; i++) {
                int n = i + 1;
                resetPeak();
                long t = System.nanoTime();
                Path indexed = out.resolve(DataLayout.stagingFile("quarry-merged-cost-" + n));
                merger.merge(inputs, indexed);
                long a = System.nanoTime() - t;
                long peakA = peakKb();
                resetPeak();
                t = System.nanoTime();
                merger.merge(inputs, out.resolve("plain-" + n + ".parquet"));
                long b = System.nanoTime() - t;
                long peakB = peakKb();
                resetPeak();
                Path indexOnly = out.resolve(DataLayout.stagingFile("quarry-merged-index-" + n));
                long c = dev.quarry.duckdb.SearchIndexCost.write(out.resolve("plain-" + n + ".parquet"), indexOnly,
                        work.resolve("spill-index"));
                long peakC = peakKb();
                if (i >= 0) {
                    with[i] = a;
                    without[i] = b;
                    peakWith[i] = peakA;
                    peakWithout[i] = peakB;
                    alone[i] = c;
                    peakAlone[i] = peakC;
                }
                Path sidecar = DataLayout.rollup(indexed, SearchIndex.KIND);
                assertThat(sidecar).exists();
                dataBytes = Files.size(indexed);
                indexBytes = Files.size(sidecar);
            }
        }
        System.out.printf(Locale.ROOT, "merge of %,d records (%d files, one day): p50 %.2f s with the index, %.2f s"
                + " without; peak RSS over the merge max %,d KB with, %,d KB without (runs: %s / %s)%n", RECORDS,
                inputs.size(), p50(with) / 1e3, p50(without) / 1e3, max(peakWith), max(peakWithout),
                Arrays.toString(peakWith), Arrays.toString(peakWithout));
        System.out.printf(Locale.ROOT, "the index alone over the merged file: p50 %.2f s, peak RSS max %,d KB (%s)%n",
                p50(alone) / 1e3, max(peakAlone), Arrays.toString(peakAlone));
        System.out.printf(Locale.ROOT, "merged file %,d bytes, its search index %,d bytes (%.1f %%)%n", dataBytes,
                indexBytes, 100.0 * indexBytes / dataBytes);
        flushCost(generator);
    }

    /** One flush's segment (7,000 records, one day) converted 20 times with the index and 20 times without. */
    private void flushCost(Bench.Generator generator) throws Exception {
        FlushCost.Result cost = FlushCost.measure(work, generator, DAY, 7_000);
        Path sidecar = DataLayout.rollup(cost.stagedFile(), SearchIndex.KIND);
        System.out.printf(Locale.ROOT, "flush of 7,000 records (one day): p50 %.1f ms with rollups and the index,"
                + " %.1f ms without either; its index %,d bytes%n", cost.p50WithMs(), cost.p50WithoutMs(),
                Files.size(sidecar));
    }

    private static void resetPeak() throws Exception {
        System.gc();
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    }

    private static long peakKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private static double p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
