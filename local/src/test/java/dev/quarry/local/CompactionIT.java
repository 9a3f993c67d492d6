package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.duckdb.DuckDbQueryEngine;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server under a steady stream of tiny flushes (every 20 ms), with summaries running all along and a
 * kill -9 in the middle: summaries never count more than was sent nor fewer than an earlier summary, the day stays
 * under 64 files, and once compaction settles the files on disk, read by DuckDB outside the server, hold every
 * acknowledged record exactly once.
 */
class CompactionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 3;
    private static final int RECORDS_PER_REQUEST = 5;

    @TempDir
    Path temporary;

    @Test
    void a_steady_stream_with_a_kill_9_is_compacted_and_counted_exactly_once() throws Exception {
        Path dataDir = temporary.resolve("data");
        Map<String, String> env = TestingLocalServer.env(
                "QUARRY_FLUSH_MAX_AGE", "20ms",
                "QUARRY_FLUSH_CHECK_INTERVAL", "10ms",
                "QUARRY_COMPACTION_CHECK_INTERVAL", "100ms",
                "QUARRY_COMPACTION_QUIET_AFTER", "2s",
                "QUARRY_COMPACTION_GRACE_PERIOD", "1s");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong sent = new AtomicLong();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        long maxFiles = 0;
        long highestCount = 0;
        for (int round = 0; round < 2; round++) {
            TestingLocalServer server = TestingLocalServer.start(dataDir, env);
            TestingLoad load = TestingLoad.start(server, round, CLIENTS, RECORDS_PER_REQUEST, "stream",
                    Duration.ofMillis(5), sent, acknowledged);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < until) {
                long count = count(server);
                long atMost = sent.get();
                if (count > atMost || count < highestCount) {
                    violations.add("counted " + count + ", sent " + atMost + ", an earlier summary " + highestCount);
                }
                highestCount = Math.max(highestCount, count);
                maxFiles = Math.max(maxFiles, liveFilesToday(dataDir));
                Thread.sleep(50);
            }
            if (round == 0) {
                server.kill();
            }
            load.stop();
            if (round == 0) {
                // The restart recovers what the kill left; summaries go on from the acknowledged records.
                highestCount = 0;
                continue;
            }

            HttpResponse<String> metrics = server.get("/q/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            // The Prometheus text exposition (OpenMetrics when the scraper does not ask for text/plain), never problem JSON.
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).matches("(text/plain|application/openmetrics-text).*"));
            assertThat(metrics.body()).contains("quarry_ingest_records_total", "quarry_flush_runs_total",
                    "quarry_compaction_runs_total", "quarry_compaction_files_in_total", "quarry_retention_days_removed_total");
            assertThat(metric(metrics.body(), "quarry_compaction_runs_total")).isPositive();

            // Quiet for 2 s: merged to one file; replaced files gone a second later.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    liveFilesToday(dataDir) == 1 && parquetFilesOnDisk(dataDir) == 1
                            && rollupFilesOnDisk(dataDir) == rollupsNamed(dataDir));
            // A request the kill cut after its records were synced is stored though never acknowledged.
            long settled = count(server);
            assertThat(settled).isBetween((long) acknowledged.size(), sent.get());
            assertThat(TestingStoredLogs.readDirectory(dataDir)).hasSize((int) settled);
            // The merged file has its rollup, which the server's summaries read: each summary answers over the
            // rollups exactly what it answers over the rows, after the kill -9 too.
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            assertThat(LiveFiles.forDaysWithRollups(dataDir, today.minusDays(1), today))
                    .allMatch(file -> file.rollups().contains("hours"));
            try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
                for (CannedQuery query : CannedQuery.values()) {
                    BoundQuery bound = SummaryRequest.parse(query, Map.of(), today).bind();
                    engine.useRollups(false);
                    List<List<Object>> rows = engine.run(bound);
                    engine.useRollups(true);
                    assertThat(engine.run(bound)).as(query.queryName()).isEqualTo(rows);
                }
            }
            server.terminate();
        }
        assertThat(violations).isEmpty();
        assertThat(maxFiles).isLessThanOrEqualTo(64);
        assertThat(acknowledged).hasSizeGreaterThan(500);

        Map<String, Integer> copies = TestingLoad.copies(TestingStoredLogs.readDirectory(dataDir));
        assertThat(copies.keySet()).containsAll(acknowledged);
        assertThat(copies.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
    }

    private static long count(TestingLocalServer server) throws Exception {
        HttpResponse<String> response = server.get("/summary/volume-by-day");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long events = 0;
        for (JsonNode row : JSON.readTree(response.body()).path("rows")) {
            events += row.path("events").asLong();
        }
        return events;
    }

    private static long metric(String body, String name) {
        return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static long liveFilesToday(Path dataDir) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return LiveFiles.forDays(dataDir, today.minusDays(1), today).size();
    }

    private static long rollupFilesOnDisk(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".rollup")).count();
        }
    }

    private static long rollupsNamed(Path dataDir) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return LiveFiles.forDaysWithRollups(dataDir, today.minusDays(1), today).stream()
                .mapToLong(file -> file.rollups().size()).sum();
    }

    private static long parquetFilesOnDisk(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        }
    }
}
