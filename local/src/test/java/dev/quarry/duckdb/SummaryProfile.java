package dev.quarry.duckdb;

import dev.quarry.local.TestingDataset;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryRequest;
import dev.quarry.summary.SummaryService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a summary's time goes in-process (issue 22): the manifests' read, the rollup kind, the statement's text,
 * DuckDB's run, and the whole {@code SummaryService.handle}, p50 of each over 30 days and 1 day, one file a day
 * (as after compaction), with and without DuckDB's {@code parquet_metadata_cache}. Not a test: run it alone with
 * {@code ./mvnw -B -o -pl local test -Dtest=SummaryProfile -Dsurefire.failIfNoSpecifiedTests=false
 * -Dquarry.benchmark=true}; {@code -Dquarry.profile.data=DIR} profiles a copy of a data directory the bench made
 * (its newest 30 days) instead of writing one.
 */
@EnabledIfSystemProperty(named = "quarry.benchmark", matches = "true")
class SummaryProfile {
    private static final int DAYS = 30;
    private static final int RECORDS_PER_DAY = 35_000;
    private static final int RUNS = 41;
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-02-01");

    private Connection kept;

    @TempDir
    Path dataDir;

    @Test
    void profile() throws Exception {
        String given = System.getProperty("quarry.profile.data");
        LocalDate first = FIRST_DAY;
        if (given == null) {
            write();
        } else {
            // A data directory the bench made (a copy of its quarry directory): its newest 30 days.
            dataDir = Path.of(given);
            try (var days = java.nio.file.Files.list(dataDir.resolve("logs"))) {
                first = days.map(d -> LocalDate.parse(d.getFileName().toString().substring(3))).max(
                        LocalDate::compareTo).orElseThrow().minusDays(DAYS - 1);
            }
        }
        LocalDate last = first.plusDays(DAYS - 1);
        Clock clock = Clock.fixed(last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"), "1GB", 2,
                dataDir.resolve("spill"))) {
            SummaryService service = new SummaryService(engine, clock);
            kept = engine.connect();
            for (String cache : List.of("false", "true")) {
                try (Connection c = engine.connect(); Statement s = c.createStatement()) {
                    s.execute("SET parquet_metadata_cache = " + cache);
                }
                System.out.println("parquet_metadata_cache = " + cache);
                for (LocalDate from : List.of(first, last)) {
                    Map<String, List<String>> parameters = Map.of("from", List.of(from.toString()), "to",
                            List.of(last.toString()));
                    BoundQuery volume = SummaryRequest.parse(CannedQuery.byName("volume-by-day").orElseThrow(),
                            parameters, last.plusDays(1)).bind();
                    List<String> rollups = new ArrayList<>();
                    for (LiveFiles.Live file : LiveFiles.forDaysWithRollups(dataDir, from, last)) {
                        rollups.add(dev.quarry.sql.SqlLiteral.quote(file.rollup(DuckDbRollups.HOURS).toString()));
                    }
                    String overRollups = inline(DuckDbRollups.overRollups(volume.sql()).replace(
                            CannedQuery.TABLE_TOKEN, DuckDbRollups.table(DuckDbRollups.HOURS, rollups, List.of())),
                            volume.parameterLiterals());
                    engine.useRollups(false);
                    String overRows = inline(engine.sqlFor(volume), volume.parameterLiterals());
                    engine.useRollups(true);
                    System.out.printf("volume-by-day from %s, inlined: over the rows' counts %.2f ms, over the hours"
                            + " rollups %.2f ms%n", from, p50(() -> count(engine, overRows)),
                            p50(() -> count(engine, overRollups)));
                }
                System.out.printf("connect+close %.3f ms, connect+SELECT 1 %.3f ms, SELECT 1 on a kept connection"
                        + " %.3f ms%n", p50(() -> {
                            engine.connect().close();
                            return null;
                        }), p50(() -> {
                            try (Connection c = engine.connect(); java.sql.PreparedStatement p = c.prepareStatement(
                                    "SELECT 1"); java.sql.ResultSet r = p.executeQuery()) {
                                return r.next();
                            }
                        }), p50(() -> {
                            try (java.sql.PreparedStatement p = kept.prepareStatement("SELECT 1");
                                    java.sql.ResultSet r = p.executeQuery()) {
                                return r.next();
                            }
                        }));
                System.out.println("query               range    live   kind    sql     run     inlined handle (p50 ms)");
                for (CannedQuery query : CannedQuery.values()) {
                    profile(engine, service, query, first, last, "30 d");
                    profile(engine, service, query, last, last, "1 d");
                }
            }
        }
    }

    private void profile(DuckDbQueryEngine engine, SummaryService service, CannedQuery query, LocalDate from,
            LocalDate to, String label) throws Exception {
        Map<String, List<String>> parameters = Map.of("from", List.of(from.toString()), "to", List.of(to.toString()));
        BoundQuery bound = SummaryRequest.parse(query, parameters, to.plusDays(1)).bind();
        Path data = dataDir;
        System.out.printf("%-19s %-6s %6.2f  %6.3f  %6.2f  %6.2f  %6.2f  %6.2f%n", query.queryName(), label,
                p50(() -> LiveFiles.forDaysWithRollups(data, from, to)),
                p50(() -> DuckDbRollups.kindFor(bound)),
                p50(() -> engine.sqlFor(bound)),
                p50(() -> engine.run(bound)),
                p50(() -> {
                    String sql = inline(engine.sqlFor(bound), bound.parameterLiterals());
                    try (Connection c = engine.connect(); Statement st = c.createStatement();
                            java.sql.ResultSet r = st.executeQuery(sql)) {
                        int n = 0;
                        while (r.next()) {
                            n++;
                        }
                        return n;
                    }
                }),
                p50(() -> service.handle(query.queryName(), parameters, null)));
    }

    private static int count(DuckDbQueryEngine engine, String sql) throws Exception {
        try (Connection c = engine.connect(); Statement st = c.createStatement();
                java.sql.ResultSet r = st.executeQuery(sql)) {
            int n = 0;
            while (r.next()) {
                n++;
            }
            return n;
        }
    }

    private static String inline(String sql, List<String> literals) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        boolean quoted = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == '?' && !quoted) {
                out.append(literals.get(next++));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static double p50(Callable<?> call) throws Exception {
        for (int i = 0; i < 5; i++) {
            call.call();
        }
        double[] millis = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            call.call();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[RUNS / 2];
    }

    private void write() throws Exception {
        Random random = new Random(42);
        String[] logtypes = {"info", "info", "info", "info", "info", "info", "info", "error", "error", "warn"};
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            for (int d = 0; d < DAYS; d++) {
                LocalDate day = FIRST_DAY.plusDays(d);
                long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                Instant receivedAt = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(86_399);
                List<String> bodies = new ArrayList<>();
                StringBuilder body = new StringBuilder("[");
                for (int r = 0; r < RECORDS_PER_DAY; r++) {
                    String logtype = random.nextInt(50) == 0 ? "security.alert" : logtypes[random.nextInt(10)];
                    body.append(body.length() > 1 ? "," : "").append("{\"source\":\"service-")
                            .append(random.nextInt(20)).append("\",\"logtype\":\"").append(logtype)
                            .append("\",\"timestamp\":").append(dayStart + (long) random.nextInt(86_400_000))
                            .append(",\"message\":\"message number ").append(random.nextInt(200))
                            .append(" happened ").append(random.nextInt(100_000)).append("\"}");
                    if (r % 500 == 499) {
                        bodies.add(body.append(']').toString());
                        body = new StringBuilder("[");
                    }
                }
                dataset.writeBodies(bodies, receivedAt);
            }
        }
    }
}
