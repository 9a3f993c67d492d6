package dev.quarry.local.table;

import static dev.quarry.local.TestingDataset.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.duckdb.DuckDbParquetMerger;
import dev.quarry.duckdb.DuckDbQueryEngine;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.TestingStoredLogs;
import dev.quarry.local.ingest.Flusher;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompactorTest {
    private static final long MIB = 1024 * 1024;
    private static final LocalDate DAY = LocalDate.parse("2026-11-27");
    private static final LocalDate LATE_DAY = LocalDate.parse("2026-11-26");

    @TempDir
    Path dataDir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        scheduler.shutdownNow();
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private Compactor compactor(TableState table, Duration quietAfter, Duration grace, Checkpoints checkpoints)
            throws Exception {
        DuckDbParquetMerger merger = new DuckDbParquetMerger();
        open.add(merger);
        return new Compactor(table, merger, new DeferredDeletion(scheduler, grace), 128 * MIB, quietAfter,
                new QuarryMetrics(new SimpleMeterRegistry()), checkpoints);
    }

    private TestingDataset dataset(TableState table) throws Exception {
        TestingDataset dataset = TestingDataset.in(dataDir, table);
        open.add(dataset);
        return dataset;
    }

    private static List<ObjectNode> records(LocalDate day, String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> record("app", i % 3 == 0 ? "error" : "info",
                day + "T10:" + String.format("%02d", i % 60) + ":00Z", prefix + "-" + i)).toList();
    }

    @Test
    void tiers_are_four_times_apart_from_256_kib() {
        assertThat(Compactor.tier(0)).isZero();
        assertThat(Compactor.tier(MIB - 1)).isZero();
        assertThat(Compactor.tier(MIB)).isEqualTo(1);
        assertThat(Compactor.tier(4 * MIB)).isEqualTo(2);
        assertThat(Compactor.tier(128 * MIB)).isEqualTo(4);
    }

    @Test
    void a_tier_is_merged_once_it_holds_four_files_the_lowest_tier_first() {
        Map<String, Long> sizes = new HashMap<>(Map.of("a", 10_000L, "b", 20_000L, "c", 30_000L,
                "d", 2 * MIB, "e", 2 * MIB, "f", 2 * MIB, "g", 2 * MIB));
        assertThat(Compactor.tiered(sizes, 128 * MIB)).containsExactly("d", "e", "f", "g");
        sizes.put("h", 40_000L);
        assertThat(Compactor.tiered(sizes, 128 * MIB)).containsExactly("a", "b", "c", "h");
        // Files at the target size are finished.
        assertThat(Compactor.tiered(Map.of("a", 128 * MIB, "b", 128 * MIB, "c", 129 * MIB, "d", 200 * MIB),
                128 * MIB)).isEmpty();
    }

    @Test
    void a_quiet_day_is_merged_to_about_one_file_per_target_size() {
        Map<String, Long> sizes = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            sizes.put("f" + i, 20 * MIB);
        }
        List<String> first = Compactor.quiet(sizes, 128 * MIB);
        assertThat(first).hasSize(6);
        first.forEach(sizes::remove);
        sizes.put("merged", 120 * MIB);
        assertThat(Compactor.quiet(sizes, 128 * MIB)).hasSize(4);
        assertThat(Compactor.quiet(Map.of("a", 100 * MIB, "b", 50 * MIB), 128 * MIB)).isEmpty();
    }

    @Test
    void a_merge_replaces_its_inputs_for_readers_at_once_and_deletes_them_after_the_grace_period() throws Exception {
        TableState table = TableState.open(dataDir);
        TestingDataset dataset = dataset(table);
        for (int flush = 0; flush < 6; flush++) {
            dataset.write(records(DAY, "f" + flush, 10));
        }
        List<Path> inputs = LiveFiles.forDays(dataDir, DAY, DAY);
        assertThat(inputs).hasSize(6);

        Compactor compactor = compactor(table, Duration.ZERO, Duration.ofMillis(500), step -> { });
        compactor.compactDue();

        List<Path> live = LiveFiles.forDays(dataDir, DAY, DAY);
        assertThat(live).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
                .matches("quarry-merged-[0-9a-f]{16}-[0-9a-f]{16}\\.parquet"));
        assertThat(count(live)).isEqualTo(60);
        assertThat(inputs).allSatisfy(p -> assertThat(p).exists());
        Thread.sleep(1_000);
        assertThat(inputs).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(parquetFiles()).containsExactlyElementsOf(live);
    }

    @ParameterizedTest
    @ValueSource(strings = {"staged", "renamed", "committed"})
    void a_crash_at_any_step_of_a_compaction_neither_loses_nor_duplicates_a_record(String crashAt) throws Exception {
        TableState table = TableState.open(dataDir);
        TestingDataset dataset = dataset(table);
        for (int flush = 0; flush < 5; flush++) {
            dataset.write(records(DAY, "f" + flush, 7));
        }
        Compactor crashing = compactor(table, Duration.ZERO, Duration.ofHours(1), step -> {
            if (step.equals(crashAt)) {
                throw new IllegalStateException("crash at " + step);
            }
        });
        Compactor.Plan plan = crashing.next();
        assertThatThrownBy(() -> crashing.compact(plan)).hasMessage("crash at " + crashAt);
        assertThat(count(LiveFiles.forDays(dataDir, DAY, DAY))).isEqualTo(35);

        // The next start, as Pipeline does it: the manifests, interrupted flushes, then what no manifest names.
        TableState reopened = TableState.open(dataDir);
        Flusher.recover(dataDir, reopened);
        for (Path unreferenced : reopened.unreferenced()) {
            Files.delete(unreferenced);
        }

        List<Path> live = LiveFiles.forDays(dataDir, DAY, DAY);
        assertThat(live).hasSize(crashAt.equals("committed") ? 1 : 5);
        assertThat(parquetFiles()).containsExactlyElementsOf(live);
        assertThat(messages()).hasSize(35).doesNotHaveDuplicates();
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".parquet.tmp"));
        }
        compactor(reopened, Duration.ZERO, Duration.ZERO, step -> { }).compactDue();
        assertThat(LiveFiles.forDays(dataDir, DAY, DAY)).hasSize(1);
        assertThat(count(LiveFiles.forDays(dataDir, DAY, DAY))).isEqualTo(35);
    }

    /**
     * Thousands of flushes while a compactor merges and two readers run summaries: every summary counts between the
     * records flushed before it started and the records sent before it ended, never fewer than a summary that ended
     * before it started, and a day never holds more than 64 files.
     */
    @Test
    void summaries_during_thousands_of_flushes_and_merges_count_each_record_exactly_once() throws Exception {
        int flushes = 2_000;
        // Hundreds of merges, each logging its line: kept out of the build's output.
        java.util.logging.Logger compactorLog = java.util.logging.Logger.getLogger(Compactor.class.getName());
        java.util.logging.Level level = compactorLog.getLevel();
        compactorLog.setLevel(java.util.logging.Level.WARNING);
        TableState table = TableState.open(dataDir);
        TestingDataset dataset = dataset(table);
        // The grace period (60 s by default) must outlast a summary; 3 s is far more than one takes here even on a
        // loaded machine (at 300 ms, a query slowed down by a busy build once found a file already deleted).
        Compactor compactor = compactor(table, Duration.ofHours(1), Duration.ofSeconds(3), step -> { });
        AtomicLong sent = new AtomicLong();
        AtomicLong flushed = new AtomicLong();
        AtomicLong lastCompletedCount = new AtomicLong();
        AtomicInteger maxFilesPerDay = new AtomicInteger();
        AtomicInteger queries = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

        Thread compacting = new Thread(() -> {
            while (running.get()) {
                compactor.compactDue();
                sleep(20);
            }
        });
        DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
        open.add(engine);
        List<Thread> readers = new ArrayList<>();
        for (int reader = 0; reader < 2; reader++) {
            readers.add(new Thread(() -> {
                while (running.get()) {
                    long atLeast = flushed.get();
                    long notBelow = lastCompletedCount.get();
                    long counted;
                    try {
                        counted = engine.run(SummaryRequest.parse(CannedQuery.VOLUME_BY_DAY,
                                Map.of("from", List.of(LATE_DAY.toString()), "to", List.of(DAY.toString())), DAY)
                                .bind()).stream().mapToLong(row -> (Long) row.get(1)).sum();
                    } catch (Exception e) {
                        violations.add("query failed: " + e);
                        return;
                    }
                    long atMost = sent.get();
                    queries.incrementAndGet();
                    if (counted < atLeast || counted > atMost || counted < notBelow) {
                        violations.add("counted " + counted + ", flushed before " + atLeast + ", sent after " + atMost
                                + ", an earlier query " + notBelow);
                    }
                    lastCompletedCount.accumulateAndGet(counted, Math::max);
                    sleep(5);
                }
            }));
        }
        compacting.start();
        readers.forEach(Thread::start);
        try {
            for (int flush = 0; flush < flushes; flush++) {
                // One flush in ten carries a late record for the day before.
                List<ObjectNode> batch = new ArrayList<>(records(DAY, "f" + flush, 3));
                if (flush % 10 == 0) {
                    batch.add(record("app", "info", LATE_DAY + "T23:00:00Z", "late-" + flush));
                }
                sent.addAndGet(batch.size());
                dataset.write(batch);
                flushed.addAndGet(batch.size());
                table.snapshot().values().forEach(files -> maxFilesPerDay.accumulateAndGet(files.size(), Math::max));
            }
        } finally {
            running.set(false);
            compacting.join();
            for (Thread reader : readers) {
                reader.join();
            }
            compactorLog.setLevel(level);
        }
        assertThat(violations).isEmpty();
        assertThat(queries.get()).isGreaterThan(10);
        assertThat(maxFilesPerDay.get()).isLessThanOrEqualTo(64);

        // The day goes quiet: merged down to one file, deleted inputs, each record once on disk.
        compactor(table, Duration.ZERO, Duration.ZERO, step -> { }).compactDue();
        assertThat(LiveFiles.forDays(dataDir, LATE_DAY, DAY)).hasSize(2);
        // (a listing may meet a file being deleted meanwhile: then it looks again)
        org.awaitility.Awaitility.await("the replaced files' deferred deletion").atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                .untilAsserted(() -> assertThat(parquetFiles())
                        .containsExactlyElementsOf(LiveFiles.forDays(dataDir, LATE_DAY, DAY)));
        assertThat(messages()).hasSize((int) sent.get()).doesNotHaveDuplicates();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Path> parquetFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** Every message on disk, read by DuckDB over the directory as a user outside the server would. */
    private List<String> messages() throws Exception {
        return TestingStoredLogs.readDirectory(dataDir).stream().map(TestingStoredLogs.Stored::message).toList();
    }

    private static long count(List<Path> files) throws Exception {
        try (var duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                var statement = duckdb.createStatement();
                var result = statement.executeQuery("SELECT count(*) FROM read_parquet(" + files.stream()
                        .map(p -> "'" + p + "'").collect(java.util.stream.Collectors.joining(", ", "[", "]"))
                        + ")")) {
            result.next();
            return result.getLong(1);
        }
    }
}
