package dev.quarry.local.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.duckdb.DuckDbParquetMerger;
import dev.quarry.duckdb.DuckDbQueryEngine;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.ingest.Flusher;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The summaries over rollups answer exactly what the same SQL answers over the files' rows: on random records
 * (sources, logtypes and messages from small and large pools, timestamps anywhere in a day, some filed under
 * another day than their own), random ranges and filters, after flushes, after compaction, for files without a
 * rollup (written before rollups, or whose message rollup was left out), after a merge a crash cut before or
 * after its rollups were renamed, and after retention removed days.
 */
class RollupsAgreeWithRowsTest {
    private static final LocalDate FIRST = LocalDate.parse("2026-11-20");
    private static final int DAYS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> open = new ArrayList<>();
    private int messagesRollupReads;

    @AfterEach
    void close() throws Exception {
        scheduler.shutdownNow();
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 20261203})
    void rollups_answer_every_summary_exactly_as_the_rows_do(long seed) throws Exception {
        Random random = new Random(seed);
        TableState table = TableState.open(dataDir);
        TestingDataset dataset = TestingDataset.in(dataDir, table);
        open.add(dataset);
        DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
        open.add(engine);
        int messagePool = 1 + random.nextInt(3);

        for (int flush = 0; flush < 6; flush++) {
            flush(dataset, random, messagePool);
        }
        assertThat(rollupFiles()).isNotEmpty();
        compare(engine, random, "after flushes");

        DuckDbParquetMerger merger = new DuckDbParquetMerger();
        open.add(merger);
        QuarryMetrics metrics = new QuarryMetrics(new SimpleMeterRegistry());
        DeferredDeletion deletion = new DeferredDeletion(scheduler, Duration.ZERO);
        quietly(() -> new Compactor(table, merger, deletion, 128L * 1024 * 1024, Duration.ZERO, metrics).compactDue());
        compare(engine, random, "after compaction");

        // Files without a rollup: a day's manifest as written before rollups existed, and a file whose rollups are
        // left out (every message distinct).
        for (int flush = 0; flush < 3; flush++) {
            flush(dataset, random, messagePool);
        }
        flush(dataset, random, Integer.MAX_VALUE);
        List<LiveFiles.Live> live = LiveFiles.forDaysWithRollups(dataDir, FIRST, FIRST.plusDays(DAYS));
        assertThat(live).as("a flush's file has the hours rollup only (and its search index)")
                .anyMatch(file -> file.rollups().equals(java.util.Set.of("hours", "terms")));
        assertThat(live).as("a merge whose messages repeat has both rollups")
                .anyMatch(file -> file.rollups().equals(java.util.Set.of("hours", "messages", "terms")));
        LocalDate stripped = FIRST.plusDays(random.nextInt(DAYS));
        Path manifest = DataLayout.manifest(table.directory(stripped));
        if (Files.exists(manifest)) {
            ObjectNode node = (ObjectNode) JSON.readTree(manifest.toFile());
            node.remove("rollups");
            Files.write(manifest, JSON.writeValueAsBytes(node));
        }
        // The next start's table, as a restarted server reads it.
        dataset.close();
        open.remove(dataset);
        TableState reopened = TableState.open(dataDir);
        compare(engine, random, "with files that have no rollup");

        // A merge cut by a crash before or after it renamed its rollups and itself, then the next start's cleanup.
        String crashAt = random.nextBoolean() ? "staged" : "renamed";
        Compactor crashing = new Compactor(reopened, merger, deletion, 128L * 1024 * 1024, Duration.ZERO, metrics,
                step -> {
                    if (step.equals(crashAt)) {
                        throw new IllegalStateException("crash at " + step);
                    }
                });
        Compactor.Plan plan = crashing.next();
        if (plan != null) {
            assertThatThrownBy(() -> crashing.compact(plan)).hasMessage("crash at " + crashAt);
        }
        TableState restarted = TableState.open(dataDir);
        Flusher.recover(dataDir, restarted);
        for (Path unreferenced : restarted.unreferenced()) {
            Files.delete(unreferenced);
        }
        compare(engine, random, "after a crashed merge");
        TestingDataset afterRestart = TestingDataset.in(dataDir, restarted);
        open.add(afterRestart);
        flush(afterRestart, random, messagePool);
        quietly(() -> new Compactor(restarted, merger, deletion, 128L * 1024 * 1024, Duration.ZERO, metrics)
                .compactDue());
        compare(engine, random, "after compaction of files with and without rollups");

        // Retention removes the first days; their rollups go with their files.
        Clock clock = Clock.fixed(FIRST.plusDays(2 + 7).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
        new Retention(restarted, deletion, 7, clock, null).apply();
        compare(engine, random, "after retention");
        for (int wait = 0; wait < 100 && Files.exists(restarted.directory(FIRST)); wait++) {
            Thread.sleep(20);
        }
        assertThat(restarted.directory(FIRST)).doesNotExist();
        assertThat(restarted.directory(FIRST.plusDays(1))).doesNotExist();
        assertThat(restarted.unreferenced()).isEmpty();
        compare(engine, random, "after retention's deletions");
        assertThat(messagesRollupReads).as("top-messages over messages rollups").isPositive();
    }

    @org.junit.jupiter.api.Test
    void a_merge_writes_the_messages_rollup_only_when_its_messages_repeat() throws Exception {
        TableState table = TableState.open(dataDir);
        TestingDataset dataset = TestingDataset.in(dataDir, table);
        open.add(dataset);
        DuckDbParquetMerger merger = new DuckDbParquetMerger();
        open.add(merger);
        Random random = new Random(7);
        for (int pool : new int[] {2, Integer.MAX_VALUE}) {
            LocalDate day = pool == 2 ? FIRST : FIRST.plusDays(1);
            for (int flush = 0; flush < 2; flush++) {
                List<ObjectNode> records = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    records.add(TestingDataset.record("api", "error", day + "T10:00:00Z",
                            pool == 2 ? "m" + random.nextInt(pool) : "unique " + random.nextLong()));
                }
                dataset.write(records);
            }
            Path staging = table.directory(day).resolve(DataLayout.stagingFile("quarry-merged-test"));
            merger.merge(LiveFiles.forDays(dataDir, day, day), staging);
            assertThat(DataLayout.rollupsPresent(staging)).as("pool %d", pool)
                    .isEqualTo(pool == 2 ? java.util.Set.of("hours", "messages", "terms")
                            : java.util.Set.of("hours", "terms"));
        }
    }

    /** One flush of 1 to 300 random records over random days; a few are received a day after their timestamp. */
    private static void flush(TestingDataset dataset, Random random, int messagePool) throws Exception {
        int count = 1 + random.nextInt(300);
        List<ObjectNode> onTime = new ArrayList<>();
        List<String> late = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDate day = FIRST.plusDays(random.nextInt(DAYS));
            Instant timestamp = day.atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plusMillis((long) (random.nextDouble() * 86_400_000L));
            String[] sources = {"api", "web", "o'brien", "worker"};
            String[] logtypes = {"error", "info", "warn", "audit"};
            String message = messagePool == Integer.MAX_VALUE ? "unique " + random.nextLong()
                    : "message " + random.nextInt(messagePool);
            ObjectNode record = TestingDataset.record(sources[random.nextInt(sources.length)],
                    logtypes[random.nextInt(random.nextBoolean() ? 2 : logtypes.length)], timestamp.toString(), message);
            if (random.nextInt(20) == 0) {
                late.add(record.toString());
            } else {
                onTime.add(record);
            }
        }
        if (!onTime.isEmpty()) {
            dataset.write(onTime);
        }
        if (!late.isEmpty()) {
            // Received three days after the first day's start: older timestamps are filed under the day received.
            dataset.writeBodies(late, FIRST.plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(7));
        }
    }

    private void compare(DuckDbQueryEngine engine, Random random, String stage) throws Exception {
        String[] sources = {null, "api", "web", "o'brien", "nobody"};
        String[] logtypes = {null, "error", "info", "warn", "audit", "none"};
        int overRollups = 0;
        for (int i = 0; i < 40; i++) {
            CannedQuery query = CannedQuery.values()[random.nextInt(CannedQuery.values().length)];
            LocalDate from = FIRST.plusDays(random.nextInt(DAYS + 2) - 1);
            LocalDate to = from.plusDays(random.nextInt(DAYS));
            Map<String, List<String>> parameters = new HashMap<>();
            parameters.put("from", List.of(from.toString()));
            parameters.put("to", List.of(to.toString()));
            String source = sources[random.nextInt(sources.length)];
            if (source != null && query.acceptsSource()) {
                parameters.put("source", List.of(source));
            }
            String logtype = logtypes[random.nextInt(logtypes.length)];
            if (logtype != null && query.acceptsLogtype()) {
                parameters.put("logtype", List.of(logtype));
            }
            if (query.takesLimit()) {
                parameters.put("limit", List.of(Integer.toString(1 + random.nextInt(100))));
            }
            BoundQuery bound = SummaryRequest.parse(query, parameters, to).bind();
            engine.useRollups(false);
            List<List<Object>> rows = engine.run(bound);
            engine.useRollups(true);
            List<List<Object>> rollups = engine.run(bound);
            assertThat(rollups).as("%s, %s %s", stage, query.queryName(), parameters).isEqualTo(rows);
            String profile = engine.profile(bound);
            if (profile.contains(".rollup")) {
                overRollups++;
            }
            if (profile.contains(".messages.rollup")) {
                messagesRollupReads++;
            }
        }
        if (!stage.startsWith("after retention")) {
            assertThat(overRollups).as("summaries that read rollups, " + stage).isPositive();
        }
    }

    private List<Path> rollupFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            return files.filter(p -> DataLayout.isRollup(p.getFileName().toString())).toList();
        }
    }

    /** Merges log one INFO line each: kept out of the build's output. */
    private static void quietly(Runnable merges) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Compactor.class.getName());
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.WARNING);
        try {
            merges.run();
        } finally {
            log.setLevel(level);
        }
    }
}
