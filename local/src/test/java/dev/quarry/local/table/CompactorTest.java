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
    void a_level_is_the_larger_of_the_generation_and_the_size_level() {
        assertThat(Compactor.level("quarry-0000000000000001-0000000000000001-00000000000000ff.parquet", 5_000))
                .isZero();
        assertThat(Compactor.level("quarry-0000000000000001-0000000000000001-00000000000000ff.parquet", MIB))
                .isEqualTo(1);
        assertThat(Compactor.level("quarry-merged-L3-0000018f00000000-0123456789abcdef.parquet", 5_000))
                .isEqualTo(3);
        assertThat(Compactor.level("quarry-merged-L1-0000018f00000000-0123456789abcdef.parquet", 8 * MIB))
                .isEqualTo(2);
        // Named before levels: one merge at least.
        assertThat(Compactor.level("quarry-merged-0000018f00000000-0123456789abcdef.parquet", 5_000)).isEqualTo(1);
        assertThat(Compactor.sizeLevel(MIB - 1)).isZero();
        assertThat(Compactor.sizeLevel(64 * MIB)).isEqualTo(3);
        assertThat(Compactor.sizeLevel(128 * MIB)).isEqualTo(3);
    }

    private static String flushFile(int sequence) {
        return String.format("quarry-%016d-%016d-%016x.parquet", sequence, sequence, sequence);
    }

    @Test
    void a_level_is_merged_once_it_holds_eight_files_the_lowest_level_first_and_the_output_leaves_it() {
        Map<String, Long> sizes = new HashMap<>();
        for (int i = 0; i < 7; i++) {
            sizes.put(flushFile(i), 10_000L);
            sizes.put("quarry-merged-L1-00000000000000" + i + "0-0000000000000000.parquet", 80_000L);
        }
        assertThat(Compactor.tiered(sizes, 128 * MIB)).isEmpty();
        sizes.put("quarry-merged-L1-0000000000000090-0000000000000000.parquet", 80_000L);
        List<String> levelOne = Compactor.tiered(sizes, 128 * MIB);
        assertThat(levelOne).hasSize(8).allMatch(name -> name.startsWith("quarry-merged-L1-"));
        sizes.put(flushFile(7), 10_000L);
        sizes.put(flushFile(8), 10_000L);
        assertThat(Compactor.tiered(sizes, 128 * MIB)).containsExactly(IntStream.range(0, 8)
                .mapToObj(CompactorTest::flushFile).toArray(String[]::new));
        // The output of eight level-0 files is level 1 however small it is, so it is not merged with level 0 again.
        Map<String, Long> eight = new HashMap<>();
        IntStream.range(0, 8).forEach(i -> eight.put(flushFile(i), 10_000L));
        assertThat(Compactor.outputLevel(eight, 30_000)).isEqualTo(1);
        assertThat(Compactor.outputLevel(eight, 9 * MIB)).isEqualTo(2);
        // Files at the target size are finished.
        Map<String, Long> finished = new HashMap<>();
        IntStream.range(0, 8).forEach(i -> finished.put(flushFile(i), 128 * MIB + i));
        assertThat(Compactor.tiered(finished, 128 * MIB)).isEmpty();
    }

    /** One simulated file: its records and how often the most rewritten of them was written by a merge. */
    private record Simulated(long bytes, long records, int rewrites) {
    }

    /** What a simulated stream did: records flushed and written by merges, the most files, the most rewrites. */
    private record SimulatedStream(long flushed, long merged, int maxFiles, int maxRewrites, int files,
            long largestMergeBytes) {
        double writeAmplification() {
            return (double) merged / flushed;
        }
    }

    /**
     * Runs the tiered policy after every flush of a stream, as the compactor does, on file sizes alone: a flush of
     * {@code recordsPerFlush} ± half records of {@code bytesPerRecord} bytes, merges slightly smaller than their
     * inputs (Parquet compresses a larger file better).
     */
    private static SimulatedStream simulate(int flushes, int recordsPerFlush, int bytesPerRecord, long seed) {
        return simulate(flushes, recordsPerFlush, bytesPerRecord, seed, false);
    }

    /** {@link #simulate(int, int, int, long)} of a day that stays open throughout (capped by its open-day bound). */
    private static SimulatedStream simulate(int flushes, int recordsPerFlush, int bytesPerRecord, long seed,
            boolean open) {
        java.util.Random random = new java.util.Random(seed);
        Map<String, Simulated> files = new java.util.TreeMap<>();
        long flushed = 0;
        long merged = 0;
        int maxFiles = 0;
        int maxRewrites = 0;
        long largestMerge = 0;
        for (int flush = 0; flush < flushes; flush++) {
            long records = recordsPerFlush / 2 + random.nextInt(recordsPerFlush + 1);
            files.put(flushFile(flush), new Simulated(2_000 + records * bytesPerRecord, records, 0));
            flushed += records;
            maxFiles = Math.max(maxFiles, files.size());
            while (true) {
                Map<String, Long> sizes = new HashMap<>();
                files.forEach((name, file) -> sizes.put(name, file.bytes()));
                List<String> inputs = Compactor.tiered(sizes,
                        open ? Compactor.openDayCap(sizes, 16 * MIB, 128 * MIB) : 128 * MIB);
                if (inputs.isEmpty()) {
                    break;
                }
                Map<String, Long> inputSizes = new HashMap<>();
                long bytes = 0;
                long mergedRecords = 0;
                int rewrites = 0;
                for (String input : inputs) {
                    Simulated file = files.remove(input);
                    inputSizes.put(input, file.bytes());
                    bytes += file.bytes();
                    mergedRecords += file.records();
                    rewrites = Math.max(rewrites, file.rewrites() + 1);
                }
                long bytesOut = bytes * 9 / 10;
                files.put(String.format("quarry-merged-L%d-%016x-0000000000000000.parquet",
                        Compactor.outputLevel(inputSizes, bytesOut), flush * 64L + files.size()),
                        new Simulated(bytesOut, mergedRecords, rewrites));
                merged += mergedRecords;
                largestMerge = Math.max(largestMerge, bytes);
                maxRewrites = Math.max(maxRewrites, rewrites);
            }
        }
        return new SimulatedStream(flushed, merged, maxFiles, maxRewrites, files.size(), largestMerge);
    }

    @ParameterizedTest(name = "{0} flushes")
    @ValueSource(ints = {100, 2_000, 4_096, 17_280, 30_000})
    void each_record_of_a_stream_is_rewritten_at_most_once_per_level_and_a_day_keeps_few_files(int flushes) {
        // Small flushes (the bench's steady stream, a quiet server at the 5 s default): levels by generation.
        SimulatedStream stream = simulate(flushes, 60, 60, flushes);
        int levels = (int) Math.ceil(Math.log(flushes) / Math.log(Compactor.FAN_IN));
        assertThat(stream.maxRewrites()).as("rewrites of the most rewritten record").isLessThanOrEqualTo(levels)
                .isLessThanOrEqualTo(5);
        assertThat(stream.writeAmplification()).as("records written by merges / records flushed")
                .isLessThanOrEqualTo(flushes <= 17_280 ? 4.0 : 5.0);
        assertThat(stream.maxFiles()).as("live files, at most 7 per level and the flush just made")
                .isLessThanOrEqualTo((Compactor.FAN_IN - 1) * levels + 1).isLessThanOrEqualTo(64);
    }

    @Test
    void large_flushes_start_at_a_higher_level_and_are_rewritten_fewer_times() {
        // 10,000 records of 300 bytes a flush: ~3 MB files, level 1 from the start.
        SimulatedStream large = simulate(2_000, 10_000, 300, 7);
        SimulatedStream small = simulate(2_000, 60, 60, 7);
        assertThat(large.maxRewrites()).isLessThan(small.maxRewrites());
        assertThat(large.writeAmplification()).isLessThan(small.writeAmplification()).isLessThanOrEqualTo(3.0);
        assertThat(large.maxFiles()).isLessThanOrEqualTo(64);
    }

    @Test
    void while_a_day_is_open_no_merge_grows_past_its_bound_and_the_day_keeps_few_files() {
        // The soak's stream: 800 records/s flushed every 5 s (4,000 records of ~21 bytes), two hours.
        SimulatedStream twoHours = simulate(1_440, 4_000, 21, 11, true);
        SimulatedStream unbounded = simulate(1_440, 4_000, 21, 11, false);
        assertThat(twoHours.largestMergeBytes()).as("bytes of the largest merge while the day is open")
                .isLessThanOrEqualTo(16 * MIB).isLessThan(unbounded.largestMergeBytes() / 2);
        assertThat(twoHours.maxFiles()).isLessThanOrEqualTo(64);
        assertThat(twoHours.writeAmplification()).isLessThanOrEqualTo(4.0);
        // A whole day at that rate (69 M records): the bound grows to a 16th of the day, so the files stay few.
        SimulatedStream wholeDay = simulate(17_280, 4_000, 21, 12, true);
        assertThat(wholeDay.maxFiles()).isLessThanOrEqualTo(64);
        assertThat(wholeDay.writeAmplification()).isLessThanOrEqualTo(5.0);
        assertThat(wholeDay.largestMergeBytes()).isLessThanOrEqualTo(17_280L * 6_000 * 21 / Compactor.OPEN_DAY_SHARE);
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
        // Two files that do not fit together: each is rewritten at rest alone, the smaller first; then none.
        String big = "quarry-merged-L2-0000000000000001-0000000000000001.parquet";
        String small = "quarry-merged-L2-0000000000000002-0000000000000002.parquet";
        assertThat(Compactor.quiet(Map.of(big, 100 * MIB, small, 50 * MIB), 128 * MIB)).containsExactly(small);
        String smallAtRest = "quarry-merged-L3-rest-0000000000000003-0000000000000003.parquet";
        assertThat(Compactor.quiet(Map.of(big, 100 * MIB, smallAtRest, 50 * MIB), 128 * MIB)).containsExactly(big);
        String bigAtRest = "quarry-merged-L3-rest-0000000000000004-0000000000000004.parquet";
        assertThat(Compactor.quiet(Map.of(bigAtRest, 100 * MIB, smallAtRest, 50 * MIB), 128 * MIB)).isEmpty();
        // A file at the target is finished, at rest or not.
        assertThat(Compactor.quiet(Map.of(big, 128 * MIB), 128 * MIB)).isEmpty();
        assertThat(Compactor.atRest(smallAtRest)).isTrue();
        assertThat(Compactor.atRest(big)).isFalse();
        assertThat(Compactor.atRest(flushFile(3))).isFalse();
        assertThat(Compactor.level(smallAtRest, 5_000)).isEqualTo(3);
    }

    @Test
    void a_quiet_days_merge_is_written_at_rest_and_a_tiered_merge_is_not() throws Exception {
        TableState table = TableState.open(dataDir);
        TestingDataset dataset = dataset(table);
        NotingMerger merger = oneTieredMerge(table, dataset);
        dataset.write(records(DAY, "g", 10));
        dataset.write(records(DAY, "h", 10));
        // Quiet: the merged file and the two new ones become the day's file at rest.
        quiet(table, merger).compactDue();

        assertThat(merger.atRest).containsExactly(false, true);
        assertThat(LiveFiles.forDays(dataDir, DAY, DAY)).singleElement()
                .satisfies(file -> assertThat(Compactor.atRest(file.getFileName().toString())).isTrue());
        assertThat(count(LiveFiles.forDays(dataDir, DAY, DAY))).isEqualTo(100);
    }

    @Test
    void a_quiet_days_lone_file_not_at_rest_is_rewritten_at_rest_once() throws Exception {
        TableState table = TableState.open(dataDir);
        NotingMerger merger = oneTieredMerge(table, dataset(table));
        String tiered = LiveFiles.forDays(dataDir, DAY, DAY).get(0).getFileName().toString();
        assertThat(Compactor.atRest(tiered)).isFalse();

        Compactor quiet = quiet(table, merger);
        quiet.compactDue();
        quiet.compactDue();

        assertThat(merger.atRest).containsExactly(false, true);
        assertThat(LiveFiles.forDays(dataDir, DAY, DAY)).singleElement()
                .satisfies(file -> assertThat(Compactor.atRest(file.getFileName().toString())).isTrue());
        assertThat(count(LiveFiles.forDays(dataDir, DAY, DAY))).isEqualTo(80);
    }

    /**
     * Eight flushes of the day merged while the day is open (records within the hour): one tiered merge, by a
     * merger that notes what it was asked for.
     */
    private NotingMerger oneTieredMerge(TableState table, TestingDataset dataset) throws Exception {
        for (int flush = 0; flush < 8; flush++) {
            dataset.write(records(DAY, "f" + flush, 10));
        }
        NotingMerger merger = new NotingMerger(new DuckDbParquetMerger());
        open.add(merger);
        new Compactor(table, merger, new DeferredDeletion(scheduler, Duration.ZERO), 128 * MIB, Duration.ofHours(1),
                new QuarryMetrics(new SimpleMeterRegistry())).compactDue();
        return merger;
    }

    /** A compactor for which every day is quiet. */
    private Compactor quiet(TableState table, ParquetMerger merger) {
        return new Compactor(table, merger, new DeferredDeletion(scheduler, Duration.ZERO), 128 * MIB, Duration.ZERO,
                new QuarryMetrics(new SimpleMeterRegistry()));
    }

    /** The real merger, noting for each merge whether the compactor asked for a file at rest. */
    private static final class NotingMerger implements ParquetMerger {
        private final ParquetMerger merger;
        final List<Boolean> atRest = new ArrayList<>();

        NotingMerger(ParquetMerger merger) {
            this.merger = merger;
        }

        @Override
        public long merge(List<Path> inputs, Path output, boolean atRest) throws java.io.IOException {
            this.atRest.add(atRest);
            return merger.merge(inputs, output, atRest);
        }

        @Override
        public void close() {
            merger.close();
        }
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
                .matches("quarry-merged-L1-rest-[0-9a-f]{16}-[0-9a-f]{16}\\.parquet"));
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
