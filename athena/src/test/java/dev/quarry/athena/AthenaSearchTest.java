package dev.quarry.athena;

import static dev.quarry.athena.TestingAthenaReplies.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.search.SearchRow;
import dev.quarry.summary.QueryEngine;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * {@code GET /search} on Athena: the statement's values go only as execution parameters, a closed range reuses an
 * earlier result and an open one never does, and Athena's text rows (timestamp text, attributes as JSON text) give
 * the same answer as the same rows from the local engine.
 */
class AthenaSearchTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:34:56.789Z");
    private static final String ID = "8f14e45f-ceea-467f-a0e6-9b1c2d3e4f50";
    private static final List<SearchRow> ROWS = List.of(
            new SearchRow(Instant.parse("2026-11-20T10:00:00.123Z"), "2026-11-20", "o'brien", "error",
                    "disk \"full\"\n\tat /var/log {k=v, x=y}", Map.of("request_id", "r-1", "a=b", "{c=d}")),
            new SearchRow(Instant.parse("2026-11-20T09:59:59Z"), "2026-11-20", "api", "info", "Ünïcode ✓ 🚀",
                    Map.of()));

    @Test
    void a_closed_range_is_searched_with_execution_parameters_and_result_reuse() throws Exception {
        String query = "from=2026-11-20&to=2026-11-20&source=o%27brien&q=disk%20%22full&attr.request_id=r-1";
        try (TestingAthenaServer athena = new TestingAthenaServer(); AthenaClient client = athena.client()) {
            athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                    .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                    .reply("GetQueryResults", TestingAthenaReplies.searchResultSet(ROWS));
            List<SearchRow> athenaRows = new ArrayList<>();
            SummaryResponse actual = service(engine(client), athenaRows).answer("GET", "/search", query, Map.of());
            SummaryResponse expected = service(bound -> ROWS, new ArrayList<>()).answer("GET", "/search", query,
                    Map.of());

            assertThat(athenaRows).isEqualTo(ROWS);
            assertThat(actual.status()).as(actual.bodyText()).isEqualTo(200);
            assertThat(actual.headers()).isEqualTo(expected.headers());
            assertThat(actual.bodyText()).isEqualTo(expected.bodyText());
            JsonNode start = athena.requests("StartQueryExecution").get(0).body();
            assertThat(start.get("QueryString").asText()).contains("FROM \"quarry\".\"logs\"")
                    .doesNotContain("o'brien").doesNotContain("r-1").doesNotContain("{{");
            List<String> values = new ArrayList<>();
            start.get("ExecutionParameters").forEach(value -> values.add(value.asText()));
            assertThat(values).startsWith("'2026-11-20'", "'2026-11-20'", "'2026-11-20 00:00:00.000'",
                    "'2026-11-21 00:00:00.000'").contains("'o''brien'", "'disk \"full'", "'request_id'", "'r-1'");
            assertThat(values).hasSize(28);
            JsonNode reuse = start.get("ResultReuseConfiguration").get("ResultReuseByAgeConfiguration");
            assertThat(reuse.get("Enabled").asBoolean()).isTrue();
            assertThat(reuse.get("MaxAgeInMinutes").asInt()).isEqualTo(QueryToAthena.CLOSED_REUSE_MINUTES);
        }
    }

    @Test
    void an_open_range_never_reuses_a_result() throws Exception {
        try (TestingAthenaServer athena = new TestingAthenaServer(); AthenaClient client = athena.client()) {
            athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                    .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                    .reply("GetQueryResults", TestingAthenaReplies.searchResultSet(List.of()));
            SummaryResponse actual = service(engine(client), new ArrayList<>()).answer("GET", "/search", "q=x",
                    Map.of());

            assertThat(actual.status()).as(actual.bodyText()).isEqualTo(200);
            assertThat(actual.headers().get("Cache-Control")).contains("max-age=10");
            JsonNode reuse = athena.requests("StartQueryExecution").get(0).body().get("ResultReuseConfiguration")
                    .get("ResultReuseByAgeConfiguration");
            assertThat(reuse.get("Enabled").asBoolean()).isFalse();
        }
    }

    @Test
    void a_failed_search_is_unavailable_with_its_statistics() throws Exception {
        try (TestingAthenaServer athena = new TestingAthenaServer(); AthenaClient client = athena.client()) {
            athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                    .reply("GetQueryExecution", sample("get-query-execution-failed", ID));
            AthenaQueryEngine engine = engine(client);
            Logger log = Logger.getLogger(dev.quarry.search.SearchService.class.getName());
            List<LogRecord> warnings = new ArrayList<>();
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    warnings.add(record);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            log.addHandler(capture);
            log.setUseParentHandlers(false);
            SummaryResponse actual;
            try {
                actual = new SummaryService(bound -> List.of(), engine, Clock.fixed(NOW, ZoneOffset.UTC),
                        dev.quarry.summary.CachePolicy.withRetention(java.util.Optional.empty()))
                        .answer("GET", "/search", "q=x", Map.of());
            } finally {
                log.removeHandler(capture);
                log.setUseParentHandlers(true);
            }

            assertThat(actual.status()).isEqualTo(503);
            assertThat(warnings).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).contains("search").contains("TABLE_NOT_FOUND");
            });
        }
    }

    private static AthenaQueryEngine engine(AthenaClient client) {
        TestingClock engineClock = new TestingClock(NOW);
        return new AthenaQueryEngine(client, AthenaConfig.defaults(), engineClock,
                () -> AthenaQueryEngine.DEFAULT_TIME_BUDGET, engineClock::sleep);
    }

    private static SummaryService service(dev.quarry.search.SearchEngine engine, List<SearchRow> seen) {
        QueryEngine none = bound -> List.of();
        return new SummaryService(none, bound -> {
            List<SearchRow> rows = engine.search(bound);
            seen.addAll(rows);
            return rows;
        }, Clock.fixed(NOW, ZoneOffset.UTC), dev.quarry.summary.CachePolicy.withRetention(java.util.Optional.empty()));
    }
}
