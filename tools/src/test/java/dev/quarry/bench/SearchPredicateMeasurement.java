package dev.quarry.bench;

import dev.quarry.local.TestingDataset;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.search.SearchSql;
import dev.quarry.summary.CannedQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Times predicates for {@code GET /search}'s {@code q} in DuckDB over the bench's records (not a build test: its
 * name matches no surefire include). Run: {@code ./mvnw -B -o -pl tools test -Dtest=SearchPredicateMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dquarry.measure.dir=/tmp/search-data]}. Writes 2.2 M records of
 * {@link Bench.Generator} (seed 42) over 30 days through the real write path, one flush a day (so one file a day;
 * the bench's server makes several and compacts them), unless the directory already holds them. Then, for each
 * term, counts the matching records of all 30 days with each predicate ({@code SELECT count(*) ... WHERE}, the whole
 * scan a rare term's search needs), the predicates taking turns for 11 rounds; prints the median and the minimum of
 * the last 9 and checks that every predicate counts the same. Last, the whole of {@code sql/search.sql} with and
 * without q's prefilter, taking turns, for the bench's searches (same rows required). Results: docs/performance.md.
 */
class SearchPredicateMeasurement {
    private static final int DAYS = 30;
    private static final long RECORDS = 2_200_000;
    private static final LocalDate LAST_DAY = LocalDate.parse("2026-12-01");
    private static final Path DIR = Path.of(System.getProperty("quarry.measure.dir", "/tmp/quarry-search-measure"));

    @Test
    void measure() throws Exception {
        Path dir = DIR;
        LocalDate first = LAST_DAY.minusDays(DAYS - 1);
        if (!Files.exists(dir.resolve("logs"))) {
            Bench.Generator generator = new Bench.Generator(42);
            try (TestingDataset dataset = TestingDataset.in(dir)) {
                for (int d = 0; d < DAYS; d++) {
                    long dayStart = first.plusDays(d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                    List<String> bodies = new ArrayList<>();
                    for (long r = 0; r < RECORDS / DAYS; r += 500) {
                        bodies.add(new String(generator.body((int) Math.min(500, RECORDS / DAYS - r), dayStart,
                                86_400_000L - 120_000), StandardCharsets.UTF_8));
                    }
                    dataset.writeBodies(bodies, Instant.ofEpochMilli(dayStart + 86_400_000L - 60_000));
                }
            }
        }
        List<String> files = new ArrayList<>();
        for (Path file : LiveFiles.forDays(dir, first, LAST_DAY)) {
            files.add("'" + file + "'");
        }
        String table = "read_parquet([" + String.join(", ", files) + "], hive_partitioning = true,"
                + " hive_types = {'dt': 'VARCHAR'})";
        Map<String, String> predicates = new LinkedHashMap<>();
        // {q} is the term, {run} its longest run of at least 3 ASCII non-letters ('' without one): bound values.
        predicates.put("read_only", "(length(message) >= 0 OR {q} = '')");
        predicates.put("ilike", "message ILIKE '%' || {q} || '%'");
        predicates.put("contains_lower", "contains(lower(message), lower({q}))");
        predicates.put("strpos_lower", "({q} = '' OR strpos(lower(message), lower({q})) > 0)");
        predicates.put("prefilter_first", "({run} = '' OR strpos(message, {run}) > 0)"
                + " AND ({q} = '' OR strpos(lower(message), lower({q})) > 0)");
        predicates.put("prefilter_last", "({q} = '' OR strpos(lower(message), lower({q})) > 0)"
                + " AND ({run} = '' OR strpos(message, {run}) > 0)");
        System.out.printf(Locale.ROOT, "records=%d days=%d files=%d cpus=%d load=%s%n", RECORDS, DAYS, files.size(),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            String rare;
            try (ResultSet newest = statement.executeQuery("SELECT regexp_extract(message, 'order [0-9]+:') FROM "
                    + table + " WHERE message LIKE '%card_expired' ORDER BY \"timestamp\" DESC LIMIT 1")) {
                newest.next();
                rare = newest.getString(1);
            }
            // q: a rare term (the newest declined order, as the bench's rare search), a common one (1 in 40)
            // without a run of 3 non-letters, one with a short run, and a frequent one.
            for (String[] term : new String[][] {{rare, rare.substring(5)}, {"timed out", ""},
                {"Order 12", " 12"}, {"CARD_EXPIRED", ""}}) {
                if (term[1].length() < 3) {
                    term[1] = "";
                }
                Map<String, long[]> nanos = new LinkedHashMap<>();
                Map<String, Long> counts = new LinkedHashMap<>();
                int rounds = 11;
                for (int round = 0; round < rounds; round++) {
                    for (Map.Entry<String, String> predicate : predicates.entrySet()) {
                        List<String> values = new ArrayList<>(List.of(first.toString(), LAST_DAY.toString()));
                        String where = predicate.getValue();
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(q|run)}").matcher(where);
                        while (m.find()) {
                            values.add(m.group(1).equals("q") ? term[0] : term[1]);
                        }
                        String sql = "SELECT count(*) FROM " + table + " AS logs WHERE dt BETWEEN ? AND ? AND "
                                + where.replaceAll("\\{(q|run)}", "?");
                        try (PreparedStatement prepared = connection.prepareStatement(sql)) {
                            for (int i = 0; i < values.size(); i++) {
                                prepared.setString(i + 1, values.get(i));
                            }
                            long start = System.nanoTime();
                            try (ResultSet rows = prepared.executeQuery()) {
                                rows.next();
                                counts.put(predicate.getKey(), rows.getLong(1));
                            }
                            nanos.computeIfAbsent(predicate.getKey(), k -> new long[rounds])[round] =
                                    System.nanoTime() - start;
                        }
                    }
                }
                long expected = counts.get("strpos_lower");
                counts.forEach((name, count) -> {
                    if (!name.equals("read_only") && count != expected) {
                        throw new AssertionError(name + " counts " + count + " for '" + term[0] + "', not " + expected);
                    }
                });
                for (Map.Entry<String, long[]> measured : nanos.entrySet()) {
                    long[] runs = Arrays.copyOfRange(measured.getValue(), 2, rounds);
                    Arrays.sort(runs);
                    System.out.printf(Locale.ROOT, "q=%-18s run=%-8s predicate=%-16s matches=%7d p50_ms=%7.1f"
                            + " min_ms=%7.1f%n", "'" + term[0] + "'", "'" + term[1] + "'", measured.getKey(),
                            counts.get(measured.getKey()), runs[runs.length / 2] / 1e6, runs[0] / 1e6);
                }
            }
            System.out.printf(Locale.ROOT, "load=%s%n", Files.readString(Path.of("/proc/loadavg")).trim());
            statements(connection, first, rare);
        }
    }

    /**
     * The whole of {@code sql/search.sql} as the DuckDB adapter runs it (files newest day first, one row more than
     * the page), with q's prefilter ({@code after}) and without it ({@code before}: the line and its two values
     * taken out), alternately, for the bench's three searches over 30 days.
     */
    private static void statements(Connection connection, LocalDate first, String rare) throws Exception {
        List<String> newestFirst = new ArrayList<>();
        for (LocalDate day = LAST_DAY; !day.isBefore(first); day = day.minusDays(1)) {
            for (Path file : LiveFiles.forDays(DIR, day, day)) {
                newestFirst.add("'" + file + "'");
            }
        }
        String table = "read_parquet([" + String.join(", ", newestFirst) + "], hive_partitioning = true,"
                + " hive_types = {'dt': 'VARCHAR'})";
        String prefilter = "  AND (? = '' OR strpos(message, ?) > 0)\n";
        String after = SearchSql.sql().replace(CannedQuery.TABLE_TOKEN, table).replace(SearchSql.OFFSET_TOKEN, "0");
        if (!after.contains(prefilter)) {
            throw new AssertionError("sql/search.sql has no prefilter line " + prefilter);
        }
        String before = after.replace(prefilter, "");
        String requestId;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT attributes['request_id'] FROM " + table + " WHERE logtype = 'error' AND"
                + " attributes['request_id'] IS NOT NULL ORDER BY \"timestamp\" DESC LIMIT 1")) {
            row.next();
            requestId = row.getString(1);
        }
        // name, q, q's run, attribute value, limit
        String[][] searches = {{"recent", "timed out", "", "", "100"}, {"rare", rare, rare.substring(5), "", "100"},
            {"attribute", "", "", requestId, "100"}, {"Order 12", "Order 12", " 12", "", "100"}};
        String from = first + " 00:00:00.000";
        String to = LAST_DAY.plusDays(1) + " 00:00:00.000";
        for (String[] search : searches) {
            Map<String, long[]> nanos = new LinkedHashMap<>();
            Map<String, Integer> rows = new LinkedHashMap<>();
            int rounds = 11;
            for (int round = 0; round < rounds; round++) {
                for (String variant : List.of("before", "after")) {
                    List<String> values = new ArrayList<>(List.of(first.toString(), LAST_DAY.toString(), from, to, to,
                            "", "", "", ""));
                    if (variant.equals("after")) {
                        values.add(search[2]);
                        values.add(search[2]);
                    }
                    values.add(search[1]);
                    values.add(search[1]);
                    for (int slot = 0; slot < 5; slot++) {
                        boolean used = slot == 0 && !search[3].isEmpty();
                        values.add(used ? "request_id" : "");
                        values.add(used ? "request_id" : "");
                        values.add(used ? search[3] : "");
                    }
                    String sql = (variant.equals("after") ? after : before).replace(CannedQuery.LIMIT_TOKEN,
                            Integer.toString(Integer.parseInt(search[4]) + 1));
                    try (PreparedStatement prepared = connection.prepareStatement(sql)) {
                        for (int i = 0; i < values.size(); i++) {
                            prepared.setString(i + 1, values.get(i));
                        }
                        long start = System.nanoTime();
                        int count = 0;
                        try (ResultSet result = prepared.executeQuery()) {
                            while (result.next()) {
                                count++;
                            }
                        }
                        nanos.computeIfAbsent(variant, k -> new long[rounds])[round] = System.nanoTime() - start;
                        rows.put(variant, count);
                    }
                }
            }
            if (!rows.get("before").equals(rows.get("after"))) {
                throw new AssertionError(search[0] + ": " + rows);
            }
            for (Map.Entry<String, long[]> measured : nanos.entrySet()) {
                long[] runs = Arrays.copyOfRange(measured.getValue(), 2, rounds);
                Arrays.sort(runs);
                System.out.printf(Locale.ROOT, "statement search=%-10s q=%-16s sql=%-6s rows=%4d p50_ms=%7.1f"
                        + " min_ms=%7.1f%n", search[0], "'" + search[1] + "'", measured.getKey(),
                        rows.get(measured.getKey()), runs[runs.length / 2] / 1e6, runs[0] / 1e6);
            }
        }
        System.out.printf(Locale.ROOT, "load=%s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }
}
