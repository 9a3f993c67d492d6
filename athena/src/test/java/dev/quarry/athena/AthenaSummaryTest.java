package dev.quarry.athena;

import static dev.quarry.athena.TestingAthenaReplies.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * The same query over the same data answers with the same JSON locally and on Athena: rows of the port's types (as
 * the DuckDB adapter returns them) against the same rows as Athena sends them (all text, typed by column metadata).
 */
class AthenaSummaryTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:34:56.789Z");
    private static final String ID = "8f14e45f-ceea-467f-a0e6-9b1c2d3e4f50";

    static Stream<Arguments> summaries() {
        return Stream.of(
                Arguments.of("volume-by-day", Map.of("from", List.of("2026-11-20")),
                        List.of(List.of("2026-11-20", 3L), List.of("2026-11-26", 5_000_000_000L))),
                Arguments.of("events-by-logtype", Map.of("from", List.of("2026-11-20"), "source", List.of("o'brien")),
                        List.of(List.of("2026-11-20", "error", 2L), List.of("2026-11-20", "info", 1L))),
                Arguments.of("events-by-source", Map.of("from", List.of("2026-11-01"), "to", List.of("2026-11-07")),
                        List.of(List.of("api", 6L, 4L), List.of("o'brien", 1L, 0L))),
                Arguments.of("errors-by-hour", Map.of("from", List.of("2026-11-26")),
                        List.of(List.of(Instant.parse("2026-11-26T00:00:00Z"), 2L),
                                List.of(Instant.parse("2026-11-26T23:00:00Z"), 1L))),
                Arguments.of("top-messages", Map.of("limit", List.of("2"), "logtype", List.of("security.alert")),
                        List.of(List.of("disk \"full\"\n\tat /var/log", 4L), List.of("Ünïcode ✓ 🚀 'quoted'", 1L))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("summaries")
    void athena_answers_with_the_same_rows_and_json_as_the_local_engine(String query, Map<String, List<String>> parameters,
            List<List<Object>> rows) throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        QueryEngine local = bound -> rows;
        SummaryResponse expected = new SummaryService(local, clock).handle(query, parameters, null);

        CannedQuery canned = CannedQuery.byName(query).orElseThrow();
        try (TestingAthenaServer athena = new TestingAthenaServer(); AthenaClient client = athena.client()) {
            athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                    .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                    .reply("GetQueryResults", TestingAthenaReplies.resultSet(canned, rows));
            TestingClock engineClock = new TestingClock(NOW);
            AthenaQueryEngine engine = new AthenaQueryEngine(client, AthenaConfig.defaults(), engineClock,
                    () -> AthenaQueryEngine.DEFAULT_TIME_BUDGET, engineClock::sleep);
            List<List<Object>> athenaRows = new ArrayList<>();
            QueryEngine recording = bound -> {
                List<List<Object>> typed = engine.run(bound);
                athenaRows.addAll(typed);
                return typed;
            };

            SummaryResponse actual = new SummaryService(recording, clock).handle(query, parameters, null);

            assertThat(athenaRows).isEqualTo(rows);
            assertThat(actual.status()).isEqualTo(200);
            assertThat(actual.headers()).isEqualTo(expected.headers());
            assertThat(withoutGeneratedAt(actual.bodyText())).isEqualTo(withoutGeneratedAt(expected.bodyText()));
        }
    }

    private static String withoutGeneratedAt(String body) {
        return body.replaceFirst(",\"generatedAt\":\"[^\"]*\"}$", "}");
    }
}
