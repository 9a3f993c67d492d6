package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.table.Compactor;
import dev.quarry.local.table.DeferredDeletion;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.local.table.TableState;
import dev.quarry.sql.SqlLiteral;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a merged file holds: its rows in (logtype, source, timestamp) order, in row groups a filter can skip. */
class DuckDbParquetMergerTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-27");
    private static final String[] SOURCES = {"web-1", "web-2", "api", "cron", "o'brien"};
    private static final String[] LOGTYPES = {"info", "info", "info", "debug", "warn", "error"};

    @Test
    void row_groups_are_a_sixteenth_of_the_file_within_8192_and_122880_rows() {
        assertThat(DuckDbParquetMerger.rowGroupRows(1)).isEqualTo(8_192);
        assertThat(DuckDbParquetMerger.rowGroupRows(70_000)).isEqualTo(8_192);
        assertThat(DuckDbParquetMerger.rowGroupRows(16 * 50_000)).isEqualTo(50_000);
        assertThat(DuckDbParquetMerger.rowGroupRows(100_000_000)).isEqualTo(122_880);
    }

    @Test
    void a_merged_file_is_sorted_by_logtype_source_and_timestamp_and_its_row_groups_cover_narrow_ranges(
            @TempDir Path dataDir) throws Exception {
        List<List<ObjectNode>> flushes = flushes(new Random(7), 3, 9_000);
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            for (List<ObjectNode> flush : flushes) {
                dataset.write(flush);
            }
        }
        List<Path> inputs = LiveFiles.forDays(dataDir, DAY, DAY);
        assertThat(inputs).hasSize(3);
        Path output = dataDir.resolve("merged.parquet");
        try (DuckDbParquetMerger merger = new DuckDbParquetMerger()) {
            assertThat(merger.merge(inputs, output)).isEqualTo(27_000);
        }
        try (Connection connection = DuckDb.openInMemory("TimeZone = 'UTC'");
                Statement statement = connection.createStatement()) {
            String file = SqlLiteral.quote(output.toString());
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT logtype, source, epoch_ms(\"timestamp\") FROM"
                    + " read_parquet(" + file + ")")) {
                while (rows.next()) {
                    keys.add(rows.getString(1) + "\u0000" + rows.getString(2) + "\u0000"
                            + String.format("%015d", rows.getLong(3)));
                }
            }
            assertThat(keys).hasSize(27_000).isSorted();
            // 27,000 rows / 16 is below the floor: row groups of 8,192 rows, four of them.
            List<long[]> groups = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT row_group_id, max(row_group_num_rows) FROM"
                    + " parquet_metadata(" + file + ") GROUP BY row_group_id ORDER BY row_group_id")) {
                while (rows.next()) {
                    groups.add(new long[] {rows.getLong(1), rows.getLong(2)});
                }
            }
            assertThat(groups).extracting(g -> g[1]).containsExactly(8_192L, 8_192L, 8_192L, 2_424L);
            // The error rows (a sixth) sit in at most two row groups: a logtype = 'error' filter skips the others.
            try (ResultSet rows = statement.executeQuery("SELECT count(DISTINCT row_group_id) FROM"
                    + " parquet_metadata(" + file + ") WHERE path_in_schema = 'logtype'"
                    + " AND stats_min_value <= 'error' AND stats_max_value >= 'error'")) {
                rows.next();
                assertThat(rows.getLong(1)).isBetween(1L, 2L);
            }
        }
    }

    @Test
    void a_file_at_rest_holds_the_same_rows_in_fewer_bytes(@TempDir Path dataDir) throws Exception {
        mergedBothWays(dataDir, new Random(23), 3, 9_000);
        Path working = dataDir.resolve("working.parquet");
        Path atRest = dataDir.resolve("at-rest.parquet");
        assertThat(java.nio.file.Files.size(atRest)).isLessThan(java.nio.file.Files.size(working));
        assertThat(rows(atRest)).hasSize(27_000).isEqualTo(rows(working));
    }

    @Test
    void at_rest_whole_millisecond_timestamps_are_stored_as_utc_adjusted_milliseconds(@TempDir Path dataDir)
            throws Exception {
        mergedBothWays(dataDir, new Random(29), 2, 2_000);
        Path working = dataDir.resolve("working.parquet");
        Path atRest = dataDir.resolve("at-rest.parquet");
        assertThat(timestampTypes(working)).containsOnly("MICROS, adjusted to UTC");
        assertThat(timestampTypes(atRest)).containsOnly("MILLIS, adjusted to UTC");
        // The same instants, read as TIMESTAMPTZ from both, whatever the reader's time zone.
        assertThat(rows(atRest)).hasSize(4_000).isEqualTo(rows(working));
        assertThat(instants(atRest, "Asia/Kolkata")).hasSize(4_000).isEqualTo(instants(working, "Asia/Kolkata"))
                .allSatisfy(row -> assertThat(row).startsWith("timestamp with time zone|").endsWith(" +05:30"));
    }

    /** Each row's timestamp column's type, epoch milliseconds and text in {@code zone}, in one order. */
    private static List<String> instants(Path file, String zone) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DuckDb.openInMemory("TimeZone = '" + zone + "'");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT lower(typeof(\"timestamp\")) || '|'"
                        + " || epoch_ms(\"timestamp\") || '|' || epoch_ms(received_at) || '|'"
                        + " || strftime(\"timestamp\", '%Y-%m-%d %H:%M:%S.%g %z') FROM read_parquet("
                        + SqlLiteral.quote(file.toString()) + ") ORDER BY ALL")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    @Test
    void a_file_with_a_finer_timestamp_keeps_microseconds_at_rest(@TempDir Path root) throws Exception {
        // Written before timestamps were floored to milliseconds: one record carries microseconds.
        Path older = root.resolve("older.parquet");
        try (Connection connection = DuckDb.openInMemory("TimeZone = 'UTC'");
                Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT * FROM (VALUES ('web-1', 'info', TIMESTAMPTZ '2026-11-27 10:00:00.123456+00',"
                    + " 'finer', MAP {'k': 'v'}, TIMESTAMPTZ '2026-11-27 10:00:01+00'), ('web-1', 'info',"
                    + " TIMESTAMPTZ '2026-11-27 10:00:02.5+00', 'whole', MAP {}::MAP(VARCHAR, VARCHAR),"
                    + " TIMESTAMPTZ '2026-11-27 10:00:03+00')) t(source, logtype, \"timestamp\", message, attributes,"
                    + " received_at)) TO " + SqlLiteral.quote(older.toString()) + " (FORMAT parquet)");
        }
        Path atRest = root.resolve("at-rest.parquet");
        try (DuckDbParquetMerger merger = new DuckDbParquetMerger()) {
            assertThat(merger.merge(List.of(older), atRest, true)).isEqualTo(2);
        }
        assertThat(timestampTypes(atRest)).containsOnly("MICROS, adjusted to UTC");
        try (Connection connection = DuckDb.openInMemory("TimeZone = 'UTC'");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT epoch_us(\"timestamp\") FROM read_parquet("
                        + SqlLiteral.quote(atRest.toString()) + ") WHERE message = 'finer'")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1) % 1_000_000).isEqualTo(123_456);
        }
    }

    /** The unit and UTC adjustment of the file's timestamp columns, as Parquet's schema states them. */
    private static List<String> timestampTypes(Path file) throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection connection = DuckDb.openInMemory("TimeZone = 'UTC'");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT name, logical_type FROM parquet_schema("
                        + SqlLiteral.quote(file.toString()) + ") WHERE name IN ('timestamp', 'received_at')")) {
            while (result.next()) {
                String type = result.getString(2);
                types.add((type.contains("MILLIS=MilliSeconds") ? "MILLIS" : type.contains("MICROS=MicroSeconds")
                        ? "MICROS" : type) + (type.contains("isAdjustedToUTC=1") ? ", adjusted to UTC" : ", local"));
            }
        }
        assertThat(types).hasSize(2);
        return types;
    }

    /**
     * Writes {@code count} flushes of {@code perFlush} random records into {@code dataDir}, then merges them twice:
     * to {@code working.parquet} as a tiered merge does and to {@code at-rest.parquet} as a quiet day's merge does.
     */
    private static void mergedBothWays(Path dataDir, Random random, int count, int perFlush) throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            for (List<ObjectNode> flush : flushes(random, count, perFlush)) {
                dataset.write(flush);
            }
        }
        List<Path> inputs = LiveFiles.forDays(dataDir, DAY, DAY);
        try (DuckDbParquetMerger merger = new DuckDbParquetMerger()) {
            assertThat(merger.merge(inputs, dataDir.resolve("working.parquet"), false)).isEqualTo(count * perFlush);
            assertThat(merger.merge(inputs, dataDir.resolve("at-rest.parquet"), true)).isEqualTo(count * perFlush);
        }
    }

    /** Every row of the file, each column as text, in one order whatever the file's. */
    private static List<String> rows(Path file) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DuckDb.openInMemory("TimeZone = 'UTC'");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT source, logtype, \"timestamp\", message,"
                        + " attributes::VARCHAR, received_at FROM read_parquet(" + SqlLiteral.quote(file.toString())
                        + ") ORDER BY ALL")) {
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= 6; column++) {
                    row.append(result.getString(column)).append('\u0000');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Test
    void searches_and_summaries_answer_alike_before_and_after_the_merge_reorders_the_rows(@TempDir Path root)
            throws Exception {
        Path flushed = root.resolve("flushed");
        Path merged = root.resolve("merged");
        List<List<ObjectNode>> flushes = flushes(new Random(11), 4, 600);
        for (Path dataDir : List.of(flushed, merged)) {
            try (TestingDataset dataset = TestingDataset.in(dataDir)) {
                for (List<ObjectNode> flush : flushes) {
                    dataset.write(flush);
                }
            }
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (DuckDbParquetMerger merger = new DuckDbParquetMerger()) {
            new Compactor(TableState.open(merged), merger, new DeferredDeletion(scheduler, Duration.ZERO),
                    128L << 20, Duration.ZERO, new QuarryMetrics(new SimpleMeterRegistry()))
                    .compactDue();
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(LiveFiles.forDays(flushed, DAY, DAY)).hasSize(4);
        assertThat(LiveFiles.forDays(merged, DAY, DAY)).hasSize(1);

        Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
        List<String> queries = List.of("/search|from=2026-11-27&to=2026-11-27&limit=100",
                "/search|from=2026-11-27&to=2026-11-27&q=timed&limit=37",
                "/search|from=2026-11-27T10:00:00Z&to=2026-11-27T11:00:00Z&logtype=error&limit=100",
                "/search|from=2026-11-27&to=2026-11-27&source=web-2&attr.region=eu&limit=100",
                "/summary/errors-by-hour|from=2026-11-27&to=2026-11-27",
                "/summary/top-messages|from=2026-11-27&to=2026-11-27&limit=100",
                "/summary/events-by-source|from=2026-11-27&to=2026-11-27&logtype=warn",
                "/summary/events-by-logtype|from=2026-11-27&to=2026-11-27&source=cron");
        try (DuckDbQueryEngine before = new DuckDbQueryEngine(flushed.resolve("logs"));
                DuckDbQueryEngine after = new DuckDbQueryEngine(merged.resolve("logs"))) {
            SummaryService left = new SummaryService(before, before, clock, CachePolicy.keepingEverything());
            SummaryService right = new SummaryService(after, after, clock, CachePolicy.keepingEverything());
            for (String query : queries) {
                String[] parts = query.split("\\|");
                // Every page of a search, cursor after cursor: the order is total, whatever the files' order.
                String rawQuery = parts[1];
                for (int page = 0; rawQuery != null && page < 200; page++) {
                    SummaryResponse expected = left.answer("GET", parts[0], rawQuery, Map.of());
                    SummaryResponse actual = right.answer("GET", parts[0], rawQuery, Map.of());
                    assertThat(expected.status()).as(query + ": " + expected.bodyText()).isEqualTo(200);
                    assertThat(actual.bodyText()).as(query + " page " + page).isEqualTo(expected.bodyText());
                    rawQuery = next(parts[1], expected.bodyText());
                }
            }
        }
    }

    /** The raw query of the next page, or null after the last. */
    private static String next(String rawQuery, String body) throws Exception {
        var next = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("next");
        if (next == null || next.isNull()) {
            return null;
        }
        return rawQuery + "&cursor=" + java.net.URLEncoder.encode(next.asText(), StandardCharsets.UTF_8);
    }

    /** Seeded records of {@link #DAY}: repeated timestamps and identical rows included, some with attributes. */
    private static List<List<ObjectNode>> flushes(Random random, int count, int perFlush) {
        List<List<ObjectNode>> flushes = new ArrayList<>();
        long dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        for (int f = 0; f < count; f++) {
            List<ObjectNode> records = new ArrayList<>();
            for (int i = 0; i < perFlush; i++) {
                String logtype = LOGTYPES[random.nextInt(LOGTYPES.length)];
                String timestamp = Instant.ofEpochMilli(dayStart + random.nextInt(86_400) * 1_000L
                        + (random.nextBoolean() ? 0 : random.nextInt(1_000))).toString();
                ObjectNode record = TestingDataset.record(SOURCES[random.nextInt(SOURCES.length)], logtype,
                        timestamp, random.nextInt(4) == 0 ? "timed out" : logtype + " " + random.nextInt(30));
                if (random.nextInt(3) == 0) {
                    ((ObjectNode) record.with("attributes")).put("region", random.nextBoolean() ? "eu" : "us");
                }
                records.add(record);
            }
            flushes.add(records);
        }
        return flushes;
    }
}
