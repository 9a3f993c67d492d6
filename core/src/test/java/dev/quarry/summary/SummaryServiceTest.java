package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.TestingLogs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class SummaryServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-10T12:34:56.789Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final TestingQueryEngine engine = new TestingQueryEngine();
    private final SummaryService service = new SummaryService(engine, CLOCK);

    @Test
    void answers_with_the_query_its_range_filters_rows_and_generation_time() throws Exception {
        engine.answering(List.of(List.of("2026-03-01", 6L), List.of("2026-03-02", 5_000_000_000L)));

        SummaryResponse response = service.handle("volume-by-day",
                params("from", "2026-03-01", "to", "2026-03-02", "source", "web"), null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.bodyText()).isEqualTo("{\"query\":\"volume-by-day\",\"from\":\"2026-03-01\","
                + "\"to\":\"2026-03-02\",\"filters\":{\"source\":\"web\"},\"rows\":[{\"dt\":\"2026-03-01\","
                + "\"events\":6},{\"dt\":\"2026-03-02\",\"events\":5000000000}],"
                + "\"generatedAt\":\"2026-03-10T12:34:56.789Z\"}");
        assertThat(body.at("/rows/0/events").isIntegralNumber()).isTrue();
        assertThat(engine.asked).singleElement().satisfies(q -> assertThat(q.parameters())
                .containsExactly("2026-03-01", "2026-03-02", "web", "web", "", ""));
    }

    @Test
    void hours_are_written_as_whole_utc_hours() throws Exception {
        engine.answering(List.of(List.of(Instant.parse("2026-03-01T00:00:00Z"), 2L),
                List.of(Instant.parse("2026-03-01T23:00:00Z"), 1L)));

        SummaryResponse response = service.handle("errors-by-hour", params("from", "2026-03-01", "to", "2026-03-01"),
                null);

        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("rows").toString()).isEqualTo(
                "[{\"hour\":\"2026-03-01T00:00:00Z\",\"events\":2},{\"hour\":\"2026-03-01T23:00:00Z\",\"events\":1}]");
        assertThat(body.get("filters").toString()).isEqualTo("{\"logtype\":\"error\"}");
    }

    @Test
    void top_messages_shows_its_logtype_and_limit_among_the_filters() throws Exception {
        engine.answering(List.of(List.of("disk full", 4L)));

        SummaryResponse response = service.handle("top-messages", params("limit", "1"), null);

        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("filters").toString()).isEqualTo("{\"logtype\":\"error\",\"limit\":1}");
        assertThat(body.get("from").asText()).isEqualTo("2026-03-04");
        assertThat(body.get("to").asText()).isEqualTo("2026-03-10");
        assertThat(engine.asked.get(0).sql()).endsWith("LIMIT 1");
    }

    @Test
    void an_unknown_query_is_not_found_and_never_reaches_the_engine() throws Exception {
        SummaryResponse response = service.handle("volume-by-week", params(), null);

        assertProblem(response, 404, "unknown-query");
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("volume-by-day, events-by-logtype");
        assertThat(engine.asked).isEmpty();
    }

    @Test
    void bad_parameters_are_a_bad_request_naming_each_one() throws Exception {
        SummaryResponse response = service.handle("top-messages", params("limit", "0", "colour", "red"), null);

        assertProblem(response, 400, "invalid-parameters");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("detail").asText()).contains("'colour'").contains("limit");
        assertThat(body.get("errors")).hasSize(2);
        assertThat(body.at("/errors/1/parameter").asText()).isEqualTo("limit");
        assertThat(engine.asked).isEmpty();
    }

    @Test
    void an_engine_failure_is_service_unavailable_with_retry_after() throws Exception {
        engine.failingWith(new QueryEngine.QueryFailedException("the engine is down", null));
        // The failure is logged for the operator; captured here so that a green build prints no stack trace.
        try (TestingLogs logs = TestingLogs.capture(SummaryService.class)) {
            SummaryResponse response = service.handle("volume-by-day", params(), null);

            assertProblem(response, 503, "query-failed");
            assertThat(response.header("Retry-After")).isEqualTo("5");
            assertThat(logs.records(Level.ALL)).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).isEqualTo("The summary volume-by-day failed: the engine is down");
            });
        }
    }

    @Test
    void the_entity_tag_ignores_generation_time_but_follows_rows_and_parameters() {
        engine.answering(List.of(List.of("2026-03-01", 6L)));
        SummaryResponse first = service.handle("volume-by-day", params("from", "2026-03-01"), null);
        SummaryResponse later = new SummaryService(engine, Clock.offset(CLOCK, java.time.Duration.ofSeconds(30)))
                .handle("volume-by-day", params("from", "2026-03-01"), null);
        SummaryResponse otherParameters = service.handle("volume-by-day", params("from", "2026-03-01",
                "source", "web"), null);
        engine.answering(List.of(List.of("2026-03-01", 7L)));
        SummaryResponse otherRows = service.handle("volume-by-day", params("from", "2026-03-01"), null);

        assertThat(first.header("ETag")).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(later.bodyText()).isNotEqualTo(first.bodyText());
        assertThat(later.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(otherParameters.header("ETag")).isNotEqualTo(first.header("ETag"));
        assertThat(otherRows.header("ETag")).isNotEqualTo(first.header("ETag"));
    }

    @Test
    void a_matching_if_none_match_is_not_modified() {
        engine.answering(List.of(List.of("2026-03-01", 6L)));
        String etag = service.handle("volume-by-day", params(), null).header("ETag");

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            SummaryResponse response = service.handle("volume-by-day", params(), ifNoneMatch);

            assertThat(response.status()).as(ifNoneMatch).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(response.header("ETag")).isEqualTo(etag);
            assertThat(response.header("Cache-Control")).isEqualTo(CachePolicy.OPEN);
        }
    }

    @Test
    void a_stale_if_none_match_gets_the_new_answer() {
        engine.answering(List.of(List.of("2026-03-01", 6L)));
        String etag = service.handle("volume-by-day", params(), null).header("ETag");
        engine.answering(List.of(List.of("2026-03-01", 7L)));

        SummaryResponse response = service.handle("volume-by-day", params(), etag);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void a_range_ending_today_is_fresh_for_a_minute_and_may_be_served_stale() {
        SummaryResponse response = service.handle("volume-by-day", params("from", "2026-03-10", "to", "2026-03-10"),
                null);

        assertThat(response.header("Cache-Control"))
                .isEqualTo("public, max-age=60, stale-while-revalidate=60, stale-if-error=600");
    }

    @Test
    void a_closed_range_is_cached_longer() {
        SummaryResponse response = service.handle("volume-by-day", params("from", "2026-03-01", "to", "2026-03-08"),
                null);

        assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=300, s-maxage=3600, stale-if-error=86400");
    }

    @Test
    void with_retention_a_final_range_is_cached_only_until_its_oldest_day_may_be_deleted() {
        SummaryService keeping30Days = new SummaryService(engine, CLOCK, CachePolicy.withRetention(
                java.util.Optional.of(30)));

        SummaryResponse response = keeping30Days.answer("GET", "/summary/volume-by-day",
                "from=2026-02-08&to=2026-02-20", Map.of());

        // 2026-02-08 may go from 2026-03-10T00:00Z, 12:34:56.789 ago.
        assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=0, s-maxage=0");
        assertThat(keeping30Days.answer("GET", "/summary/volume-by-day", "from=2026-02-09&to=2026-02-20", Map.of())
                .header("Cache-Control")).isEqualTo("public, max-age=41103, s-maxage=41103");
    }

    @Test
    void an_unexpected_failure_is_answered_with_problem_json() throws Exception {
        SummaryService failing = new SummaryService(bound -> {
            throw new IllegalStateException("a bug");
        }, CLOCK);
        try (TestingLogs logs = TestingLogs.capture(SummaryService.class)) {
            SummaryResponse response = failing.answer("GET", "/summary/volume-by-day", "", Map.of());

            assertProblem(response, 500, "internal-error");
            assertThat(logs.records(Level.ALL)).singleElement()
                    .satisfies(r -> assertThat(r.getThrown()).hasMessage("a bug"));
        }
    }

    @Test
    void errors_are_never_stored() {
        assertThat(service.handle("nope", params(), null).header("Cache-Control")).isEqualTo("no-store");
        assertThat(service.handle("volume-by-day", params("to", "x"), null).header("Cache-Control"))
                .isEqualTo("no-store");
    }

    private static void assertProblem(SummaryResponse response, int status, String kind) throws Exception {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("ETag")).isNull();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("urn:quarry:problem:" + kind);
        assertThat(body.get("status").asInt()).isEqualTo(status);
    }

    private static Map<String, List<String>> params(String... nameValues) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return parameters;
    }
}
