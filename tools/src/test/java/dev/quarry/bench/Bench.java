package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.catalog.PartitionKeys;
import dev.quarry.cost.CostModel;
import dev.quarry.cost.Prices;
import dev.quarry.duckdb.DuckDbQueryEngine;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryRequest;
import dev.quarry.testing.TestingLambdaRuntime;
import dev.quarry.testing.TestingRuntimeApi;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * {@code scripts/bench}: drives the packaged local pipeline over loopback HTTP with its own load generator and prints
 * the figures of README "Performance and cost" as {@code name: value} lines on stdout, then a table; progress on
 * stderr. Days the recency window does not let a client reach (older than 14 days) are written in-process through
 * the real write path ({@link TestingDataset}: record parser, write-ahead log, flusher, DuckDB Parquet writer) before
 * the server starts; the rest is posted. Closed-loop clients: latency is service time at that concurrency.
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int DAYS = 30;
    private static final int BATCH = 500;
    private static final int BATCH_CLIENTS = 8;
    private static final int SINGLE_CLIENTS = 64;
    private static final int WARMUP_BATCHES = 200;
    private static final int QUERY_WARMUP = 3;
    private static final int QUERY_RUNS = 21;
    /** Days before today that a client can reach by event time (recency window: 14 days, with a margin). */
    private static final int POSTED_DAYS = 14;

    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean streamOnly = false;
        Duration soak = null;
        boolean tailOnly = false;
        Path repo = Path.of(".");
        String lambdaClasspath = "";
        long records = 10_000_000;
        String peer = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peer" -> peer = args[++i];
                case "--quick" -> quick = true;
                case "--repo" -> repo = Path.of(args[++i]);
                case "--lambda-classpath" -> lambdaClasspath = args[++i];
                case "--records" -> records = Long.parseLong(args[++i]);
                case "--stream-only" -> streamOnly = true;
                case "--soak" -> soak = parseDuration(args[++i]);
                case "--tail-only" -> tailOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (quick && Arrays.stream(args).noneMatch("--records"::equals)) {
            records = 2_000_000;
        }
        if (peer != null) {
            if (!peer.equals("clickhouse")) {
                throw new IllegalArgumentException("--peer takes clickhouse, not " + peer);
            }
            long peerRecords = Arrays.stream(args).anyMatch("--records"::equals) ? records
                    : ClickHousePeer.DEFAULT_RECORDS;
            System.exit(ClickHousePeer.run(repo.toAbsolutePath().normalize(), peerRecords, System.getenv("PATH")));
        }
        if (soak != null) {
            Bench bench = new Bench();
            Path work = Files.createTempDirectory("quarry-soak");
            bench.soak(repo.toAbsolutePath().normalize(), work, soak);
            deleteTree(work);
            bench.figures.forEach((name, value) -> System.out.println(name + ": " + value));
            bench.table.forEach(row -> System.out.printf("%-42s %12s  %-9s %-6s %s%n", (Object[]) row));
            return;
        }
        if (tailOnly || streamOnly) {
            // One phase alone: the live tail's delivery under the batch load, or the steady stream (compaction).
            Bench bench = new Bench();
            Path work = Files.createTempDirectory("quarry-bench");
            if (tailOnly) {
                bench.tailOnly(repo.toAbsolutePath().normalize(), work, quick ? 20 : 60);
            } else {
                bench.steadyStream(repo.toAbsolutePath().normalize(), work, quick ? 45 : 300);
            }
            deleteTree(work);
            bench.figures.forEach((name, value) -> System.out.println(name + ": " + value));
            bench.table.forEach(row -> System.out.printf("%-42s %12s  %-9s %-6s %s%n", (Object[]) row));
            return;
        }
        new Bench().run(repo.toAbsolutePath().normalize(), records, quick ? 10 : 30, lambdaClasspath);
    }

    private void run(Path repo, long records, int singleSeconds, String lambdaClasspath) throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("quarry-bench");
        Path dataDir = work.resolve("data");
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        long perDay = records / DAYS;
        Generator generator = new Generator(42);
        progress("data directory %s; %,d records over %d days (%s to %s)", dataDir, records, DAYS, first, today);

        // 1. Days older than the recency window: written in-process through the real write path.
        long directRecords = 0;
        long jsonBytes = 0;
        long t = System.nanoTime();
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            // Days a posted record can reach are left to the server: its write-ahead log numbers segments from 1
            // again in an empty directory, and a flush names its files after them, so a file written here under the
            // same name in the same day would be replaced (see README "Performance and cost").
            for (int d = POSTED_DAYS + 1; d < DAYS; d++) {
                LocalDate day = today.minusDays(d);
                long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                Instant receivedAt = Instant.ofEpochMilli(dayStart + 86_400_000L);
                List<String> bodies = new ArrayList<>();
                for (long r = 0; r < perDay; r += BATCH) {
                    int n = (int) Math.min(BATCH, perDay - r);
                    byte[] body = generator.body(n, dayStart, 86_400_000L);
                    jsonBytes += body.length;
                    bodies.add(new String(body, StandardCharsets.UTF_8));
                }
                directRecords += dataset.writeBodies(bodies, receivedAt).records();
            }
        }
        progress("wrote %,d records of %d days in-process in %.1f s", directRecords, DAYS - POSTED_DAYS - 1,
                seconds(System.nanoTime() - t));

        // 2. The rest over HTTP, timestamps spread over the last 14 days (minus a margin), batches of 500.
        long postedRecords = records - directRecords;
        long windowStart = now.minus(Duration.ofDays(POSTED_DAYS)).plus(Duration.ofMinutes(30)).toEpochMilli();
        long window = now.toEpochMilli() - 1_000 - windowStart;
        List<byte[]> batches = new ArrayList<>();
        for (long r = 0; r < postedRecords; r += BATCH) {
            batches.add(generator.body((int) Math.min(BATCH, postedRecords - r), windowStart, window));
        }
        List<byte[]> singles = new ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            singles.add(generator.body(1, windowStart, window));
        }
        progress("generated %,d batches and %,d single-record bodies", batches.size(), singles.size());

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server = startServer(repo, dataDir, port, work.resolve("server.log"));
        try {
            int warmup = Math.min(WARMUP_BATCHES, batches.size() / 10);
            Load warm = load(port, batches.subList(0, warmup), BATCH_CLIENTS, Long.MAX_VALUE);
            progress("warm-up: %,d batches in %.1f s", warm.requests, warm.seconds);
            Load batchLoad;
            long probeRecords;
            try (Client probeClient = new Client(port); TailProbe probe = tailProbe(port, probeClient)) {
                batchLoad = load(port, batches.subList(warmup, batches.size()), BATCH_CLIENTS, Long.MAX_VALUE);
                tailFigure(probe);
                probeRecords = probe.records();
            }
            long batchRecords = 0;
            for (int i = warmup; i < warmup + batchLoad.requests; i++) {
                batchRecords += countRecords(batches.get(i));
            }
            long warmRecords = 0;
            for (int i = 0; i < warmup; i++) {
                warmRecords += countRecords(batches.get(i));
            }
            jsonBytes += warm.bytes + batchLoad.bytes;
            double recordsPerSecond = batchRecords / batchLoad.seconds;
            progress("batches: %,d requests, %,d records in %.1f s; p50 %.1f ms, p99 %.1f ms", batchLoad.requests,
                    batchRecords, batchLoad.seconds, batchLoad.latency.getValueAtPercentile(50) / 1e3,
                    batchLoad.latency.getValueAtPercentile(99) / 1e3);
            figure("ingest_records_per_s", "%.0f", recordsPerSecond, "≥ 100000", recordsPerSecond >= 100_000,
                    String.format(Locale.ROOT, "%d clients, p50 %.1f ms, p99 %.1f ms", BATCH_CLIENTS,
                            batchLoad.latency.getValueAtPercentile(50) / 1e3,
                            batchLoad.latency.getValueAtPercentile(99) / 1e3));

            Load singleLoad = load(port, singles, SINGLE_CLIENTS, TimeUnit.SECONDS.toNanos(singleSeconds));
            jsonBytes += singleLoad.bytes;
            double singlePerSecond = singleLoad.requests / singleLoad.seconds;
            progress("single records: %,d requests in %.1f s; p50 %.1f ms, p99 %.1f ms", singleLoad.requests,
                    singleLoad.seconds, singleLoad.latency.getValueAtPercentile(50) / 1e3,
                    singleLoad.latency.getValueAtPercentile(99) / 1e3);
            figure("ingest_single_requests_per_s", "%.0f", singlePerSecond, "≥ 10000", singlePerSecond >= 10_000,
                    String.format(Locale.ROOT, "%d clients, p50 %.1f ms, p99 %.1f ms", SINGLE_CLIENTS,
                            singleLoad.latency.getValueAtPercentile(50) / 1e3,
                            singleLoad.latency.getValueAtPercentile(99) / 1e3));

            // The tail probe's records are stored too: one a POST, acknowledged (TailProbe#records).
            long total = directRecords + warmRecords + batchRecords + singleLoad.requests + probeRecords;
            String range = "from=" + first + "&to=" + today;
            long visible = awaitVisible(port, range, total);
            progress("all %,d records are queryable (%,d counted by volume-by-day)", total, visible);

            long parquetBytes = 0;
            Map<LocalDate, Long> bytesPerDay = new TreeMap<>();
            // The table's live files: for a minute after a merge its inputs are still on disk, but no reader sees them.
            {
                for (Path file : LiveFiles.forDays(dataDir, first, today)) {
                    long size = Files.size(file);
                    parquetBytes += size;
                    LocalDate day = PartitionKeys.dayOfDirectory(file.getParent().getFileName().toString()).orElseThrow();
                    bytesPerDay.merge(day, size, Long::sum);
                }
            }
            double compression = (double) jsonBytes / parquetBytes;
            figure("compression_ratio", "%.2f", compression, "≥ 8", compression >= 8,
                    String.format(Locale.ROOT, "%,d JSON bytes posted or written / %,d Parquet bytes", jsonBytes,
                            parquetBytes));
            // The search index's sidecars beside the live files (not counted in the Parquet bytes above).
            long indexBytes = 0;
            for (LiveFiles.Live live : LiveFiles.forDaysWithRollups(dataDir, first, today)) {
                Path sidecar = live.rollup(dev.quarry.duckdb.SearchIndex.KIND);
                if (sidecar != null) {
                    indexBytes += Files.size(sidecar);
                }
            }
            figure("search_index_bytes", "%.0f", indexBytes, "", true, String.format(Locale.ROOT,
                    "the live files' search index sidecars: %.1f %% of their %,d Parquet bytes, %,d a day",
                    100.0 * indexBytes / parquetBytes, parquetBytes, indexBytes / bytesPerDay.size()));

            double worst = 0;
            for (CannedQuery query : CannedQuery.values()) {
                double p50 = queryP50(port, query.queryName(), range);
                worst = Math.max(worst, p50);
                figure("query_ms_p50_" + query.queryName().replace('-', '_'), "%.1f", p50, "", true,
                        String.format(Locale.ROOT, "GET /summary over %d days, p50 of %d after %d warm-ups", DAYS,
                                QUERY_RUNS, QUERY_WARMUP));
            }
            figure("query_ms_p50_max", "%.1f", worst, "≤ 150", worst <= 150, "");
            searchFigures(port, range);

            long rangeBytes = bytesPerDay.values().stream().mapToLong(Long::longValue).sum();
            Map.Entry<LocalDate, Long> largest = bytesPerDay.entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow();
            double pruned = (double) largest.getValue() / rangeBytes;
            figure("pruned_bytes_ratio_1_of_30_days", "%.4f", pruned, "≤ 0.06", pruned <= 0.06,
                    String.format(Locale.ROOT, "largest day %s: %,d of %,d bytes (files the engine lists)",
                            largest.getKey(), largest.getValue(), rangeBytes));

            CostModel model = new CostModel(Prices.US_EAST_1);
            CostModel.Measured measured = new CostModel.Measured(compression, 1.0);
            CostModel.Workload article = CostModel.Workload.article(BATCH);
            double pipeline = model.pipeline(article, measured).total();
            double cloudWatch = model.cloudWatch(article).total();
            figure("cost_usd_month_pipeline_5gb", "%.4f", pipeline, "", true,
                    "5 GB of 200-byte logs a month in batches of 500, 3 GB analysed");
            figure("cost_usd_month_cloudwatch_5gb", "%.4f", cloudWatch, "", true, "same logs, prices of " + Prices.AS_OF);
            figure("cost_ratio_cloudwatch_over_pipeline_5gb", "%.2f", cloudWatch / pipeline, "≥ 4.5",
                    cloudWatch / pipeline >= 4.5, "");
            figure("cost_breakeven_records_per_request", "%.0f", model.breakEvenRecordsPerRequest(article, measured),
                    "", true, "smallest batch cheaper than CloudWatch Logs (Firehose 5 KB rounding)");
        } finally {
            stopServer(server);
            progress("server stopped by SIGTERM, exit code %d", server.exitValue());
        }

        steadyStream(repo, work, singleSeconds == 10 ? 45 : 300);
        lambdaInit(repo.resolve("lambda/target/function.zip"), lambdaClasspath, work);
        deleteTree(work);
        progress("done in %.0f s", seconds(System.nanoTime() - started));

        figures.forEach((name, value) -> System.out.println(name + ": " + value));
        System.out.println();
        System.out.printf("%-42s %12s  %-9s %-6s %s%n", "figure", "value", "goal", "", "how");
        for (String[] row : table) {
            System.out.printf("%-42s %12s  %-9s %-6s %s%n", (Object[]) row);
        }
        System.out.printf(Locale.ROOT, "%nmachine: %s, %d processors, %s %s, Java %s; %,d records: %,d written in-process"
                        + " (days %s to %s), the rest posted over HTTP%n", cpu(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                records, directRecords, first, today.minusDays(POSTED_DAYS + 1));
    }

    /**
     * A steady stream, the common real workload: a few clients post small requests for {@code streamSeconds} to a
     * server flushing every 20 ms (thousands of flushes), while the live files of the day are counted; then the
     * summaries over those files against the same records bulk-loaded in one flush, and the wait until the quiet day
     * is merged. Compaction's throughput and CPU come from the server's {@code /q/metrics}.
     */
    private void steadyStream(Path repo, Path work, int streamSeconds) throws Exception {
        Path dataDir = work.resolve("stream");
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long dayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long from = Math.max(dayStart, now.toEpochMilli() - 3_600_000L);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server = startServer(repo, dataDir, port, work.resolve("stream-server.log"),
                Map.of("QUARRY_FLUSH_MAX_AGE", "20ms", "QUARRY_FLUSH_CHECK_INTERVAL", "10ms"));
        List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < 4; c++) {
                Generator generator = new Generator(100 + c);
                Thread client = new Thread(() -> {
                    try (Client http = new Client(port)) {
                        while (running.get()) {
                            byte[] body = generator.body(10, from, Math.max(1, now.toEpochMilli() - from));
                            Response response = http.request("POST", "/logs", body);
                            if (response.status != 200) {
                                throw new IllegalStateException("POST /logs answered " + response.status);
                            }
                            bodies.add(new String(body, StandardCharsets.UTF_8));
                            Thread.sleep(5);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                clients.add(client);
                client.start();
            }
            int maxFiles = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(streamSeconds);
            while (System.nanoTime() < end && failures.isEmpty()) {
                maxFiles = Math.max(maxFiles, LiveFiles.forDays(dataDir, today, today).size());
                Thread.sleep(100);
            }
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("the stream failed", failures.get(0));
            }
            long streamEnded = System.nanoTime();
            Thread.sleep(200);
            maxFiles = Math.max(maxFiles, LiveFiles.forDays(dataDir, today, today).size());
            Map<String, Double> metrics = metrics(port);
            double streamCompactionSeconds = metrics.getOrDefault("quarry_compaction_seconds_total", 0.0);
            long records = bodies.stream().mapToLong(b -> countRecords(b.getBytes(StandardCharsets.UTF_8))).sum();
            double flushes = metrics.getOrDefault("quarry_flush_runs_total", 0.0);
            progress("stream: %,d requests, %,d records, %.0f flushes in %d s; at most %d live files in the day",
                    bodies.size(), records, flushes, streamSeconds, maxFiles);
            figure("files_per_day_max_during_stream", "%.0f", maxFiles, "≤ 64", maxFiles <= 64,
                    String.format(Locale.ROOT, "%.0f flushes (20 ms) of %,d records in %d s, 4 clients", flushes,
                            records, streamSeconds));
            double flushedRecords = metrics.getOrDefault("quarry_flush_records_total", 0.0);
            double mergedRecords = metrics.getOrDefault("quarry_compaction_records_total", 0.0);
            double amplification = mergedRecords / flushedRecords;
            figure("compaction_write_amplification", "%.2f", amplification, "≤ 4", amplification <= 4,
                    String.format(Locale.ROOT, "during the stream: %,.0f records written by %.0f merges / %,.0f"
                            + " records flushed", mergedRecords, metrics.getOrDefault("quarry_compaction_runs_total",
                                    0.0), flushedRecords));

            // The summaries right after the stream (before the quiet merge) against the same records in one file.
            long filesAfterStream = LiveFiles.forDays(dataDir, today, today).size();
            double streamed = summariesP50(dataDir, today);
            Path bulkDir = work.resolve("bulk");
            try (TestingDataset dataset = TestingDataset.in(bulkDir)) {
                dataset.writeBodies(bodies, now);
            }
            double bulk = summariesP50(bulkDir, today);
            double ratio = streamed / bulk;
            figure("small_files_query_ratio", "%.2f", ratio, "≤ 1.5", ratio <= 1.5, String.format(Locale.ROOT,
                    "sum of the 5 summaries' p50: %.1f ms over %d files / %.1f ms over 1 file", streamed,
                    filesAfterStream, bulk));

            // The day is far below 128 MB: settled means one file.
            long settled;
            while ((settled = LiveFiles.forDays(dataDir, today, today).size()) > 1
                    && System.nanoTime() - streamEnded < TimeUnit.SECONDS.toNanos(180)) {
                Thread.sleep(250);
            }
            double settleSeconds = seconds(System.nanoTime() - streamEnded);
            figure("files_per_day_after_settle", "%.0f", (double) settled, "≤ 2", settled <= 2, String.format(Locale.ROOT,
                    "%.0f s after the stream stopped (the quiet merge waits 60 s)", settleSeconds));
            metrics = metrics(port);
            double compactionSeconds = metrics.getOrDefault("quarry_compaction_seconds_total", 0.0);
            double bytesIn = metrics.getOrDefault("quarry_compaction_bytes_in_total", 0.0);
            double runs = metrics.getOrDefault("quarry_compaction_runs_total", 0.0);
            double mbPerSecond = bytesIn / 1e6 / compactionSeconds;
            figure("compaction_mb_per_s", "%.1f", mbPerSecond, "", true, String.format(Locale.ROOT,
                    "%.0f merges, %.1f MB read in %.1f s on one DuckDB thread", runs, bytesIn / 1e6,
                    compactionSeconds));
            double share = streamCompactionSeconds / streamSeconds;
            figure("compaction_cpu_core_share", "%.3f", share, "", true, String.format(Locale.ROOT,
                    "during the stream: %.1f s merging in %d s, on one DuckDB thread (an upper bound on its CPU)",
                    streamCompactionSeconds, streamSeconds));
        } finally {
            stopServer(server);
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}. */
    static Duration parseDuration(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("--soak takes a duration such as 30m or 2h, not " + text);
        };
    }

    /** Resident memory of a process in MiB ({@code VmRSS} of /proc/PID/status). */
    static double rssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** What the JVM's native memory tracking counts as committed (heap included), or NaN when jcmd cannot say. */
    static double jvmCommittedMib(long pid) {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary", "scale=KB")
                    .redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB")
                    .matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The least-squares slope of {@code values} over {@code hours}, per hour. */
    static double slopePerHour(List<Double> hours, List<Double> values) {
        int n = hours.size();
        double meanX = hours.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double meanY = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            covariance += (hours.get(i) - meanX) * (values.get(i) - meanY);
            variance += (hours.get(i) - meanX) * (hours.get(i) - meanX);
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    /**
     * A server left running: the packaged server at its defaults (scripts/run-local: heap cap, DuckDB limits,
     * 5 s flushes, compaction) on a fresh directory, 2 clients posting 40-record requests at a steady 20 requests
     * per second in all (800 records/s: 2.9 M a day's rows an hour), a reader polling the five summaries every 5 s,
     * the server's resident memory sampled every 30 s beside what the JVM's native memory tracking counts (so that
     * the rest, DuckDB's and malloc's, is seen apart), each sample a line of {@code soak.csv} in the work directory. The growth is the least-squares slope of the second half's samples (the first half warms up: JIT,
     * DuckDB's caches, the day's files). Then the records acknowledged against the records stored.
     */
    private void soak(Path repo, Path work, Duration duration) throws Exception {
        Path dataDir = work.resolve("soak");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server = startServer(repo, dataDir, port, work.resolve("soak-server.log"),
                Map.of("JAVA_OPTS", (System.getenv().getOrDefault("JAVA_OPTS", "")
                        + " -XX:NativeMemoryTracking=summary").trim()));
        long pid = server.pid();
        Path samples = work.resolve("soak.csv");
        Files.writeString(samples, "minutes,rss_mib,jvm_committed_mib,other_mib,records_acknowledged,duckdb_query_mib,duckdb_flush_mib,"
                + "duckdb_merge_mib,duckdb_spilled_mib\n");
        progress("soak: samples in %s", samples);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong summaries = new AtomicLong();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        Instant started = Instant.now();
        long from = started.minus(Duration.ofMinutes(30)).toEpochMilli();
        for (int c = 0; c < 2; c++) {
            Generator generator = new Generator(200 + c);
            threads.add(new Thread(() -> {
                try (Client http = new Client(port)) {
                    long next = System.nanoTime();
                    while (running.get()) {
                        byte[] body = generator.body(40, from, 1_800_000L);
                        Response response = http.request("POST", "/logs", body);
                        if (response.status != 200) {
                            throw new IllegalStateException("POST /logs answered " + response.status);
                        }
                        acknowledged.addAndGet(countRecords(body));
                        next += TimeUnit.MILLISECONDS.toNanos(100);
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.add(new Thread(() -> {
            try (Client http = new Client(port)) {
                while (running.get()) {
                    String day = LocalDate.now(ZoneOffset.UTC).toString();
                    for (CannedQuery query : CannedQuery.values()) {
                        Response response = http.request("GET", "/summary/" + query.queryName() + "?from=" + day
                                + "&to=" + day, null);
                        if (response.status != 200) {
                            throw new IllegalStateException("GET /summary/" + query.queryName() + " answered "
                                    + response.status + ": " + response.text());
                        }
                        summaries.incrementAndGet();
                    }
                    Thread.sleep(5_000);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
        threads.forEach(Thread::start);
        List<Double> hours = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        try {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            while (failures.isEmpty()) {
                double mib = rssMib(pid);
                double elapsed = (System.nanoTime() - start) / 3.6e12;
                hours.add(elapsed);
                rss.add(mib);
                double jvm = jvmCommittedMib(pid);
                Map<String, Double> duckDb = duckDbMib(port);
                Files.writeString(samples, String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%d,%.1f,%.1f,%.1f,%.1f%n",
                        elapsed * 60, mib, jvm, mib - jvm, acknowledged.get(), duckDb.get("query"),
                        duckDb.get("flush"), duckDb.get("merge"), duckDb.get("spilled")),
                        java.nio.file.StandardOpenOption.APPEND);
                progress("soak: %6.1f min, rss %.0f MiB (JVM-tracked %.0f; DuckDB query %.0f, flush %.0f, merge %.0f,"
                        + " spilled %.0f), %,d records acknowledged, %,d summaries", elapsed * 60, mib, jvm,
                        duckDb.get("query"), duckDb.get("flush"), duckDb.get("merge"), duckDb.get("spilled"),
                        acknowledged.get(), summaries.get());
                if (System.nanoTime() >= end) {
                    break;
                }
                Thread.sleep(Math.min(30_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            stopServer(server);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the soak failed", failures.get(0));
        }
        int half = hours.size() / 2;
        double growth = slopePerHour(hours.subList(half, hours.size()), rss.subList(half, rss.size()));
        figure("rss_mib_start", "%.0f", rss.get(0), "", true, "resident memory of the server, first sample");
        figure("rss_mib_end", "%.0f", rss.get(rss.size() - 1), "", true, String.format(Locale.ROOT,
                "last sample, after %s (%d samples, every 30 s)", duration, rss.size()));
        figure("rss_growth_mib_per_h", "%.1f", growth, "≤ 10", growth <= 10, String.format(Locale.ROOT,
                "least-squares slope of the second half's %d samples (the goal holds after the first 30 minutes)",
                rss.size() - half));
        long stored;
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            String first = LocalDate.ofInstant(started, ZoneOffset.UTC).minusDays(1).toString();
            stored = engine.run(SummaryRequest.parse(CannedQuery.VOLUME_BY_DAY, Map.of("from", List.of(first),
                    "to", List.of(today)), LocalDate.now(ZoneOffset.UTC)).bind()).stream()
                    .mapToLong(row -> (Long) row.get(1)).sum();
        }
        figure("soak_records_acknowledged", "%.0f", acknowledged.get(), "", true, String.format(Locale.ROOT,
                "%,d summaries answered meanwhile", summaries.get()));
        figure("soak_records_stored", "%.0f", stored, "= acknowledged", stored == acknowledged.get(),
                "volume-by-day over the soak's days after SIGTERM");
    }

    /** The sum of the five summaries' p50 over {@code day}, run in-process by the server's query engine. */
    /** Follows {@link TailProbe#SOURCE} while the load runs; its records are a few hundred among millions. */
    private static TailProbe tailProbe(int port, Client client) throws IOException {
        return new TailProbe(port, body -> {
            Response response = client.request("POST", "/logs", body);
            if (response.status != 200) {
                throw new IllegalStateException("POST /logs answered " + response.status + ": " + response.text());
            }
        });
    }

    private void tailFigure(TailProbe probe) throws Exception {
        Histogram delays = probe.stop();
        double p99 = delays.getValueAtPercentile(99) / 1e3;
        progress("tail: %,d probe records; delivery p50 %.2f ms, p99 %.2f ms, max %.2f ms", probe.records(),
                delays.getValueAtPercentile(50) / 1e3, p99, delays.getMaxValue() / 1e3);
        figure("tail_delivery_ms_p99", "%.2f", p99, "≤ 50", p99 <= 50, String.format(Locale.ROOT,
                "acknowledgment to event, one record every 10 ms beside %d batch clients; %d records, p50 %.2f ms",
                BATCH_CLIENTS, probe.records(), delays.getValueAtPercentile(50) / 1e3));
    }

    /** The tail figure alone: a fresh server, the batch load of 500-record bodies for about {@code seconds}. */
    private void tailOnly(Path repo, Path work, int seconds) throws Exception {
        Instant now = Instant.now();
        Generator generator = new Generator(42);
        long windowStart = now.minus(Duration.ofDays(1)).toEpochMilli();
        List<byte[]> batches = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batches.add(generator.body(BATCH, windowStart, now.toEpochMilli() - 1_000 - windowStart));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server = startServer(repo, work.resolve("data"), port, work.resolve("tail-server.log"));
        try {
            load(port, batches.subList(0, WARMUP_BATCHES), BATCH_CLIENTS, Long.MAX_VALUE);
            try (Client probeClient = new Client(port); TailProbe probe = tailProbe(port, probeClient)) {
                Load batchLoad = load(port, batches, BATCH_CLIENTS, TimeUnit.SECONDS.toNanos(seconds));
                progress("load beside the tail: %,d batches in %.1f s (%,.0f records/s)", batchLoad.requests,
                        batchLoad.seconds, batchLoad.requests * (double) BATCH / batchLoad.seconds);
                tailFigure(probe);
            }
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static double summariesP50(Path dataDir, LocalDate day) throws Exception {
        double sum = 0;
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            for (CannedQuery query : CannedQuery.values()) {
                var bound = SummaryRequest.parse(query, Map.of("from", List.of(day.toString()),
                        "to", List.of(day.toString())), day).bind();
                Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
                for (int i = 0; i < QUERY_WARMUP + QUERY_RUNS; i++) {
                    long start = System.nanoTime();
                    engine.run(bound);
                    if (i >= QUERY_WARMUP) {
                        histogram.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                    }
                }
                sum += histogram.getValueAtPercentile(50) / 1e3;
            }
        }
        return sum;
    }

    /** The server's counters from {@code /q/metrics}, by name (label sets summed). */
    /**
     * What each of the server's DuckDB databases holds in its buffer manager ({@code quarry_duckdb_memory_bytes}), in
     * MiB by database, and what they spilled together ({@code spilled}).
     */
    static Map<String, Double> duckDbMib(int port) throws IOException {
        Map<String, Double> values = new TreeMap<>(Map.of("query", 0.0, "flush", 0.0, "merge", 0.0, "spilled", 0.0));
        try (Client client = new Client(port)) {
            for (String line : client.request("GET", "/q/metrics", null).text().split("\n")) {
                boolean memory = line.startsWith("quarry_duckdb_memory_bytes{");
                if (memory || line.startsWith("quarry_duckdb_temporary_bytes{")) {
                    java.util.regex.Matcher database = java.util.regex.Pattern.compile("database=\"([a-z]+)\"")
                            .matcher(line);
                    double mib = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) / (1024 * 1024);
                    if (database.find() && !Double.isNaN(mib)) {
                        values.merge(memory ? database.group(1) : "spilled", mib, Double::sum);
                    }
                }
            }
        }
        return values;
    }

    private static Map<String, Double> metrics(int port) throws IOException {
        Map<String, Double> values = new TreeMap<>();
        try (Client client = new Client(port)) {
            for (String line : client.request("GET", "/q/metrics", null).text().split("\n")) {
                if (line.startsWith("quarry_") && line.lastIndexOf(' ') > 0) {
                    String name = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '));
                    values.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                }
            }
        }
        return values;
    }

    private void figure(String name, String format, double value, String goal, boolean met, String how) {
        String text = String.format(Locale.ROOT, format, value);
        figures.put(name, text);
        table.add(new String[] {name, text, goal, goal.isEmpty() ? "" : met ? "met" : "MISSED", how});
    }

    static int countRecords(byte[] body) {
        int count = 0;
        for (int i = 0; i + 9 < body.length; i++) {
            if (body[i] == '{' && body[i + 1] == '"' && body[i + 2] == 's' && body[i + 3] == 'o'
                    && body[i + 8] == '"' && body[i + 9] == ':') {
                count++;
            }
        }
        return count;
    }

    // ---- the server

    /** Stops a server started by {@link #startServer} as a user would (SIGTERM), forcibly after 120 s. */
    static void stopServer(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(120, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    static Process startServer(Path repo, Path dataDir, int port, Path log) throws Exception {
        return startServer(repo, dataDir, port, log, Map.of());
    }

    private static Process startServer(Path repo, Path dataDir, int port, Path log, Map<String, String> env)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("scripts/run-local").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARRY_DATA_DIR", dataDir.toString());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().remove("QUARRY_API_KEY");
        builder.environment().putAll(env);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try (Client client = new Client(port)) {
                if (client.request("GET", "/q/health/ready", null).status == 200) {
                    progress("server ready on 127.0.0.1:%d (recovered the data directory)", port);
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server was not ready within 120 s; see " + log);
    }

    record Load(int requests, long bytes, double seconds, Histogram latency) {
    }

    /** Closed-loop clients, one connection each, posting the bodies in order until done or the duration is over. */
    static Load load(int port, List<byte[]> bodies, int clients, long durationNanos) throws Exception {
        return load(port, "/logs", bodies, clients, durationNanos,
                response -> response.status == 200 && response.text().contains("\"accepted\":true"));
    }

    /** {@link #load(int, List, int, long)} to any path, each answer checked by {@code accepted}. */
    static Load load(int port, String path, List<byte[]> bodies, int clients, long durationNanos,
            java.util.function.Predicate<Response> accepted) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long start = System.nanoTime();
        long end = durationNanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + durationNanos;
        for (int c = 0; c < clients; c++) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            histograms.add(histogram);
            Thread thread = new Thread(() -> {
                try (Client client = new Client(port)) {
                    int i;
                    while (System.nanoTime() < end && (i = next.getAndIncrement()) < bodies.size()) {
                        long sent = System.nanoTime();
                        Response response = client.request("POST", path, bodies.get(i));
                        if (!accepted.test(response)) {
                            throw new IllegalStateException("POST " + path + " answered " + response.status + ": "
                                    + response.text());
                        }
                        histogram.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent),
                                TimeUnit.SECONDS.toMicros(60)));
                        bytes.addAndGet(bodies.get(i).length);
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = seconds(System.nanoTime() - start);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed", failures.get(0));
        }
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        histograms.forEach(latency::add);
        return new Load(done.get(), bytes.get(), seconds, latency);
    }

    static long awaitVisible(int port, String range, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long counted = -1;
        try (Client client = new Client(port)) {
            while (System.nanoTime() < deadline) {
                Response response = client.request("GET", "/summary/volume-by-day?" + range, null);
                counted = 0;
                for (JsonNode row : JSON.readTree(response.body).get("rows")) {
                    counted += row.get("events").asLong();
                }
                if (counted == expected) {
                    return counted;
                }
                Thread.sleep(1_000);
            }
        }
        throw new IllegalStateException("after 120 s volume-by-day counts " + counted + " records, not " + expected);
    }

    /**
     * The three searches of docs/performance.md over the whole range: the newest page of a common term, a term of one
     * record (an order number taken from a stored message), and one request id (taken from a stored record).
     */
    private void searchFigures(int port, String range) throws Exception {
        String recent = range + "&q=" + URLEncoder.encode("timed out", StandardCharsets.UTF_8) + "&limit=100";
        double recentP50 = searchP50(port, "recent", recent);
        figure("search_ms_p50_recent", "%.1f", recentP50, "≤ 60", recentP50 <= 60, String.format(Locale.ROOT,
                "GET /search q='timed out' (about 1 in 40 records), newest 100 of %d days; p99 %.1f ms", DAYS,
                searchP99.get("recent")));

        JsonNode declined = searchPage(port, range + "&q=card_expired&limit=1").get("rows").get(0);
        java.util.regex.Matcher order = java.util.regex.Pattern.compile("order [0-9]+:")
                .matcher(declined.get("message").asText());
        order.find();
        String rare = range + "&q=" + URLEncoder.encode(order.group(), StandardCharsets.UTF_8);
        int rareRows = searchPage(port, rare).get("rows").size();
        double rareP50 = searchP50(port, "rare", rare);
        figure("search_ms_p50_rare", "%.1f", rareP50, "≤ 200", rareP50 <= 200, String.format(Locale.ROOT,
                "GET /search q='%s' (%d of the records), over %d days; p99 %.1f ms", order.group(), rareRows, DAYS,
                searchP99.get("rare")));

        String requestId = null;
        for (JsonNode row : searchPage(port, range + "&logtype=error").get("rows")) {
            if (row.get("attributes").has("request_id")) {
                requestId = row.get("attributes").get("request_id").asText();
                break;
            }
        }
        String attribute = range + "&attr.request_id=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8);
        int attributeRows = searchPage(port, attribute).get("rows").size();
        double attributeP50 = searchP50(port, "attribute", attribute);
        figure("search_ms_p50_attribute", "%.1f", attributeP50, "≤ 200", attributeP50 <= 200, String.format(
                Locale.ROOT, "GET /search attr.request_id=%s (%d record), over %d days; p99 %.1f ms", requestId,
                attributeRows, DAYS, searchP99.get("attribute")));
    }

    private static JsonNode searchPage(int port, String query) throws Exception {
        try (Client client = new Client(port)) {
            Response response = client.request("GET", "/search?" + query, null);
            if (response.status != 200) {
                throw new IllegalStateException("search " + query + " answered " + response.status + ": "
                        + response.text());
            }
            return JSON.readTree(response.text());
        }
    }

    /** Each search's p99 (of 21 runs, that is the slowest), for the figures' "how". */
    private final Map<String, Double> searchP99 = new LinkedHashMap<>();

    private double searchP50(int port, String name, String query) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
        try (Client client = new Client(port)) {
            for (int i = 0; i < QUERY_WARMUP + QUERY_RUNS; i++) {
                long start = System.nanoTime();
                Response response = client.request("GET", "/search?" + query, null);
                long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                if (response.status != 200) {
                    throw new IllegalStateException("search " + name + " answered " + response.status + ": "
                            + response.text());
                }
                if (i >= QUERY_WARMUP) {
                    histogram.recordValue(micros);
                }
            }
        }
        double p50 = histogram.getValueAtPercentile(50) / 1e3;
        progress("search %s over %d days: p50 %.1f ms, p99 %.1f ms, max %.1f ms", name, DAYS, p50,
                histogram.getValueAtPercentile(99) / 1e3, histogram.getMaxValue() / 1e3);
        searchP99.put(name, histogram.getValueAtPercentile(99) / 1e3);
        return p50;
    }

    private static double queryP50(int port, String query, String range) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
        try (Client client = new Client(port)) {
            for (int i = 0; i < QUERY_WARMUP + QUERY_RUNS; i++) {
                long start = System.nanoTime();
                Response response = client.request("GET", "/summary/" + query + "?" + range, null);
                long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                if (response.status != 200) {
                    throw new IllegalStateException(query + " answered " + response.status + ": " + response.text());
                }
                if (i >= QUERY_WARMUP) {
                    histogram.recordValue(micros);
                }
            }
        }
        double p50 = histogram.getValueAtPercentile(50) / 1e3;
        progress("%s over %d days: p50 %.1f ms, max %.1f ms", query, DAYS, p50, histogram.getMaxValue() / 1e3);
        return p50;
    }

    // ---- Lambda init, as FunctionZipIT measures it

    private void lambdaInit(Path zip, String runtimeClasspath, Path work) throws Exception {
        if (!Files.exists(zip) || runtimeClasspath.isBlank()) {
            figures.put("lambda_init_ms_jvm", "n/a");
            table.add(new String[] {"lambda_init_ms_jvm", "n/a", "", "", "no function.zip or runtime interface client"
                    + " jars; FunctionZipIT#init_time_from_process_start_to_first_poll measures it"});
            return;
        }
        Path taskRoot = TestingLambdaRuntime.unzip(zip, Files.createDirectories(work.resolve("task-root")));
        List<Long> runs = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            runs.add(lambdaInitOnce(taskRoot, runtimeClasspath, work.resolve("function-" + run + ".log")));
        }
        List<Long> sorted = runs.stream().sorted().toList();
        progress("Lambda JVM init (partition handler, process start to first Runtime API poll): %s ms", runs);
        figures.put("lambda_init_ms_jvm", Long.toString(sorted.get(1)));
        table.add(new String[] {"lambda_init_ms_jvm", Long.toString(sorted.get(1)), "", "",
                "median of 3, runtime interface client, java21 options, no SnapStart: " + runs + " ms"});
    }

    private static long lambdaInitOnce(Path taskRoot, String runtimeClasspath, Path log) throws Exception {
        Process function = null;
        try (TestingRuntimeApi api = TestingRuntimeApi.start()) {
            ProcessBuilder builder = TestingLambdaRuntime.java21(taskRoot, runtimeClasspath, api, "partition", log);
            // Glue is never called during init: an endpoint nothing listens on.
            builder.environment().put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
            long started = System.nanoTime();
            function = builder.start();
            // No event is ever queued: the measurement ends at the first poll.
            CompletableFuture<Object> initialized = CompletableFuture.anyOf(api.firstPoll(),
                    api.initError().thenApply(error -> {
                        throw new IllegalStateException("the function failed its init: " + error + "; see " + log);
                    }));
            initialized.get(60, TimeUnit.SECONDS);
            return TimeUnit.NANOSECONDS.toMillis(api.firstPoll().join() - started);
        } finally {
            TestingLambdaRuntime.stop(function);
        }
    }

    // ---- a minimal HTTP/1.1 client: one keep-alive connection, no allocation beyond the response

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static final class Client implements Closeable {
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Client(int port) throws IOException {
            this.port = port;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 65_536);
            out = new BufferedOutputStream(socket.getOutputStream(), 65_536);
        }

        Response request(String method, String path, byte[] body) throws IOException {
            StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read();
        }

        private Response read() throws IOException {
            String status = line();
            if (status == null) {
                throw new IOException("the server closed the connection");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            } else if (length >= 0) {
                body.write(in.readNBytes((int) length));
            }
            if (close) {
                socket.close();
                connect();
            }
            return new Response(code, body.toByteArray());
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- realistic records

    /** Mixed sources and logtypes, messages shaped like real access logs, stack traces and audit lines. */
    static final class Generator {
        private static final String[] SOURCES = {"web-1", "web-2", "web-3", "web-4", "api-gateway",
            "checkout-service", "auth-service", "payment-service", "search-service", "inventory-service",
            "batch-worker-1", "batch-worker-2", "nginx-edge-1", "nginx-edge-2", "postgres-primary", "redis-cache",
            "k8s-node-01", "k8s-node-02", "k8s-node-03", "mailer", "cron", "notification-service"};
        private static final String[] PATHS = {"/", "/login", "/cart", "/checkout", "/api/orders", "/api/orders/%d",
            "/api/users/%d", "/api/products/%d", "/search?q=shoes", "/static/app.%x.js", "/healthz"};
        private static final String[] REGIONS = {"us-east-1", "us-east-2", "eu-west-1"};
        private static final String[] USERS = {"admin", "root", "test", "oracle", "ubuntu", "postgres", "guest"};
        private final Random random;

        Generator(long seed) {
            random = new Random(seed);
        }

        byte[] body(int records, long fromMillis, long spanMillis) {
            StringBuilder body = new StringBuilder(records * 260).append(records == 1 ? "" : "[");
            for (int i = 0; i < records; i++) {
                if (i > 0) {
                    body.append(',');
                }
                record(body, fromMillis + (long) (random.nextDouble() * spanMillis));
            }
            return body.append(records == 1 ? "" : "]").toString().getBytes(StandardCharsets.UTF_8);
        }

        private void record(StringBuilder out, long timestamp) {
            int roll = random.nextInt(100);
            String logtype = roll < 68 ? "info" : roll < 76 ? "debug" : roll < 87 ? "warn" : roll < 98 ? "error"
                    : "security.alert";
            String source = SOURCES[(int) (Math.pow(random.nextDouble(), 1.6) * SOURCES.length)];
            out.append("{\"source\":\"").append(source).append("\",\"logtype\":\"").append(logtype)
                    .append("\",\"timestamp\":");
            if (random.nextInt(5) == 0) {
                out.append('"').append(Instant.ofEpochMilli(timestamp)).append('"');
            } else if (random.nextInt(4) == 0) {
                out.append('"').append(timestamp).append('"');
            } else {
                out.append(timestamp);
            }
            out.append(",\"message\":\"");
            escape(out, message(logtype));
            out.append('"');
            if (random.nextInt(10) < 4) {
                out.append(",\"attributes\":{\"request_id\":\"").append(Long.toHexString(random.nextLong()))
                        .append("\",\"region\":\"").append(REGIONS[random.nextInt(3)]).append('"');
                if (random.nextBoolean()) {
                    out.append(",\"user_id\":\"").append(random.nextInt(50_000)).append('"');
                }
                out.append('}');
            }
            out.append('}');
        }

        private String message(String logtype) {
            int ms = (int) (Math.exp(random.nextGaussian() * 0.9 + 3.5));
            String path = String.format(Locale.ROOT, PATHS[random.nextInt(PATHS.length)], random.nextInt(100_000));
            return switch (logtype) {
                case "info" -> switch (random.nextInt(6)) {
                    case 0, 1 -> "GET " + path + " 200 " + ms + "ms";
                    case 2 -> "POST " + path + " 201 " + ms + "ms user=" + random.nextInt(50_000);
                    case 3 -> "User " + random.nextInt(50_000) + " logged in from 10." + random.nextInt(256) + "."
                            + random.nextInt(256) + "." + random.nextInt(256);
                    case 4 -> "Job nightly-export finished: processed " + random.nextInt(100_000) + " items in "
                            + ms + "ms";
                    default -> "Connection pool stats: active=" + random.nextInt(20) + " idle=" + random.nextInt(10)
                            + " waiting=0";
                };
                case "debug" -> "SQL: SELECT id, status, total FROM orders WHERE customer_id = "
                        + random.nextInt(50_000) + " ORDER BY created_at DESC LIMIT 50 (" + ms + " ms)";
                case "warn" -> switch (random.nextInt(3)) {
                    case 0 -> "Slow query on orders (" + (ms * 20) + " ms), plan: Seq Scan on orders";
                    case 1 -> "Retrying request to payment-provider (attempt " + (1 + random.nextInt(5)) + "/5)";
                    default -> "Heap usage at " + (70 + random.nextInt(30)) + "% of 2048 MB";
                };
                case "error" -> switch (random.nextInt(4)) {
                    case 0 -> "GET " + path + " 500 " + (ms * 10) + "ms: upstream timed out";
                    case 1 -> "java.lang.NullPointerException: Cannot invoke \"Order.getCustomer()\" because \"order\""
                            + " is null\n\tat dev.shop.OrderService.place(OrderService.java:" + (100 + random.nextInt(5))
                            + ")\n\tat dev.shop.CheckoutResource.checkout(CheckoutResource.java:58)";
                    case 2 -> "Payment declined for order " + random.nextInt(1_000_000) + ": card_expired";
                    default -> "connection reset by peer (10.0." + random.nextInt(4) + "." + random.nextInt(256)
                            + ":5432)";
                };
                default -> random.nextBoolean()
                        ? "Failed password for invalid user " + USERS[random.nextInt(USERS.length)] + " from 203.0.113."
                                + random.nextInt(256) + " port " + (1024 + random.nextInt(60_000)) + " ssh2"
                        : "Rate limit exceeded for API key ending …" + Integer.toHexString(0x1000 + random.nextInt(0xefff));
            };
        }

        private static void escape(StringBuilder out, String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\t' -> out.append("\\t");
                    default -> out.append(c);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    static String cpu() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
