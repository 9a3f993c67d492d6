package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.local.TestingDataset;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Latency of each canned query on about a million records over 30 days, written through the real write path
 * (record parser, write-ahead log, flusher, DuckDB Parquet writer; ten flushes per day, so ten files per day).
 * Not a test: its name keeps it out of the normal run. Run it alone:
 * {@code ./mvnw -B -pl core,local -am test -Dtest=SummaryBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dquarry.benchmark=true}
 */
@EnabledIfSystemProperty(named = "quarry.benchmark", matches = "true")
class SummaryBenchmark {
    private static final int DAYS = 30;
    private static final int RECORDS_PER_DAY = 33_334;
    private static final int FLUSHES_PER_DAY = 10;
    private static final int BODY_RECORDS = 500;
    private static final int WARMUP = 5;
    private static final int RUNS = 31;
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-02-01");

    @TempDir
    Path dataDir;

    @Test
    void measure() throws Exception {
        long started = System.nanoTime();
        long records = write();
        System.out.printf("wrote %,d records over %d days in %.1f s%n", records, DAYS,
                (System.nanoTime() - started) / 1e9);

        LocalDate last = FIRST_DAY.plusDays(DAYS - 1);
        Clock clock = Clock.fixed(last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            SummaryService service = new SummaryService(engine, clock);
            System.out.println("query               range    p50 ms   p90 ms   rows");
            for (CannedQuery query : CannedQuery.values()) {
                measure(service, query, FIRST_DAY, last, "30 days");
                measure(service, query, last, last, "1 day");
            }
        }
    }

    private static void measure(SummaryService service, CannedQuery query, LocalDate from, LocalDate to,
            String label) throws Exception {
        Map<String, List<String>> parameters = Map.of("from", List.of(from.toString()), "to", List.of(to.toString()));
        double[] millis = new double[RUNS];
        SummaryResponse response = null;
        for (int i = 0; i < WARMUP + RUNS; i++) {
            long start = System.nanoTime();
            response = service.handle(query.queryName(), parameters, null);
            long elapsed = System.nanoTime() - start;
            if (i >= WARMUP) {
                millis[i - WARMUP] = elapsed / 1e6;
            }
        }
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        Arrays.sort(millis);
        int rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("rows").size();
        System.out.printf("%-19s %-8s %7.1f  %7.1f  %5d%n", query.queryName(), label, millis[RUNS / 2],
                millis[(int) (RUNS * 0.9)], rows);
    }

    private long write() throws Exception {
        Random random = new Random(42);
        String[] logtypes = {"info", "info", "info", "info", "info", "info", "info", "error", "error", "warn"};
        long written = 0;
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            for (int d = 0; d < DAYS; d++) {
                LocalDate day = FIRST_DAY.plusDays(d);
                long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                Instant receivedAt = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(86_399);
                int perFlush = RECORDS_PER_DAY / FLUSHES_PER_DAY + 1;
                for (int f = 0; f < FLUSHES_PER_DAY; f++) {
                    List<String> bodies = new ArrayList<>();
                    StringBuilder body = new StringBuilder("[");
                    int inBody = 0;
                    for (int r = 0; r < perFlush; r++) {
                        String logtype = random.nextInt(50) == 0 ? "security.alert" : logtypes[random.nextInt(10)];
                        int message = (int) Math.floor(Math.pow(random.nextDouble(), 3) * 200);
                        if (inBody > 0) {
                            body.append(',');
                        }
                        body.append("{\"source\":\"service-").append(random.nextInt(20))
                                .append("\",\"logtype\":\"").append(logtype)
                                .append("\",\"timestamp\":").append(dayStart + (long) random.nextInt(86_400_000))
                                .append(",\"message\":\"message number ").append(message)
                                .append(" happened\",\"attributes\":{\"request\":\"").append(random.nextInt(1_000_000))
                                .append("\"}}");
                        if (++inBody == BODY_RECORDS) {
                            bodies.add(body.append(']').toString());
                            body = new StringBuilder("[");
                            inBody = 0;
                        }
                    }
                    if (inBody > 0) {
                        bodies.add(body.append(']').toString());
                    }
                    written += dataset.writeBodies(bodies, receivedAt).records();
                }
            }
        }
        return written;
    }
}
