package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.QueryEngine;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import dev.quarry.testing.TestingCases;
import dev.quarry.testing.TestingCases.Case;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SearchServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final QueryEngine NO_SUMMARIES = query -> {
        throw new AssertionError("a search must not run a summary");
    };

    private static SummaryService service(TestingSearchEngine engine) {
        return new SummaryService(NO_SUMMARIES, engine, Clock.fixed(NOW, ZoneOffset.UTC),
                CachePolicy.keepingEverything());
    }

    private static JsonNode json(SummaryResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void a_search_answers_rows_newest_first_with_attributes_always_an_object() throws Exception {
        TestingSearchEngine engine = new TestingSearchEngine(List.of(
                TestingSearchEngine.row("2026-12-01T10:00:00.001Z", "api", "error", "Boom <b>", Map.of("k", "v")),
                TestingSearchEngine.row("2026-12-01T11:00:00Z", "api", "info", "later", Map.of())));

        SummaryResponse response = service(engine).answer("GET", "/search", "", Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo(CachePolicy.SEARCH_OPEN);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = json(response);
        assertThat(body.get("from").asText()).isEqualTo("2026-11-30T12:00:00.001Z");
        assertThat(body.get("to").asText()).isEqualTo("2026-12-01T12:00:00.001Z");
        assertThat(body.get("rows")).hasSize(2);
        assertThat(body.get("rows").get(0).toString()).isEqualTo("{\"timestamp\":\"2026-12-01T11:00:00.000Z\","
                + "\"dt\":\"2026-12-01\",\"source\":\"api\",\"logtype\":\"info\",\"message\":\"later\",\"attributes\":{}}");
        assertThat(body.get("rows").get(1).get("attributes").get("k").asText()).isEqualTo("v");
        assertThat(body.get("next").isNull()).isTrue();
        assertThat(body.get("generatedAt").asText()).isEqualTo("2026-12-01T12:00:00.000Z");
    }

    @Test
    void days_as_from_and_to_read_exactly_their_dt_partitions_and_a_closed_range_caches_as_a_closed_summary()
            throws Exception {
        TestingSearchEngine engine = new TestingSearchEngine(List.of());

        SummaryResponse response = service(engine).answer("GET", "/search", "from=2026-11-20&to=2026-11-22&q=x",
                Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo(CachePolicy.CLOSED);
        BoundSearch bound = engine.searches.get(0);
        assertThat(bound.firstDay()).hasToString("2026-11-20");
        assertThat(bound.lastDay()).hasToString("2026-11-22");
        assertThat(bound.closed()).isTrue();
        assertThat(bound.parameters().subList(0, 5)).containsExactly("2026-11-20", "2026-11-22",
                "2026-11-20 00:00:00.000", "2026-11-23 00:00:00.000", "2026-11-23 00:00:00.000");
        assertThat(json(response).get("to").asText()).isEqualTo("2026-11-23T00:00:00.000Z");
    }

    @Test
    void an_instant_to_is_exclusive_and_midnight_does_not_read_the_next_day() {
        TestingSearchEngine engine = new TestingSearchEngine(List.of());

        service(engine).answer("GET", "/search", "from=2026-11-20T06:00:00Z&to=2026-11-21T00:00:00.000Z", Map.of());

        assertThat(engine.searches.get(0).lastDay()).hasToString("2026-11-20");
    }

    @Test
    void an_unchanged_answer_revalidates_with_304() {
        TestingSearchEngine engine = new TestingSearchEngine(List.of(
                TestingSearchEngine.row("2026-11-20T10:00:00Z", "api", "error", "x", Map.of())));
        SummaryResponse first = service(engine).answer("GET", "/search", "from=2026-11-20&to=2026-11-20", Map.of());

        SummaryResponse again = service(engine).answer("GET", "/search", "from=2026-11-20&to=2026-11-20",
                Map.of("if-none-match", first.header("ETag")));

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
    }

    @Test
    void bad_parameters_are_one_400_naming_each() throws Exception {
        SummaryResponse response = service(new TestingSearchEngine(List.of())).answer("GET", "/search",
                "limit=0&q=&attr.bad%20key=v&from=yesterday&logtype=ERROR&colour=red&source=a&source=b", Map.of());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        List<String> named = new ArrayList<>();
        json(response).get("errors").forEach(e -> named.add(e.path("parameter").asText("(none)")));
        assertThat(named).containsExactlyInAnyOrder("limit", "q", "attr.bad key", "from", "logtype", "source",
                "(none)");
    }

    @Test
    void a_method_other_than_get_is_405() {
        SummaryResponse response = service(new TestingSearchEngine(List.of())).answer("POST", "/search", "", Map.of());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET");
        assertThat(response.bodyText()).contains("/search");
    }

    @Test
    void a_server_without_a_search_engine_answers_404() {
        SummaryResponse response = new SummaryService(NO_SUMMARIES, Clock.fixed(NOW, ZoneOffset.UTC))
                .answer("GET", "/search", "", Map.of());

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void a_cursor_from_other_parameters_or_malformed_is_a_400_naming_it() throws Exception {
        List<SearchRow> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(TestingSearchEngine.row("2026-11-20T10:00:0" + i + "Z", "api", "error", "m" + i, Map.of()));
        }
        SummaryService service = service(new TestingSearchEngine(rows));
        String next = json(service.answer("GET", "/search", "from=2026-11-20&to=2026-11-20&limit=2", Map.of()))
                .get("next").asText();

        for (String query : List.of("from=2026-11-20&to=2026-11-20&limit=3&cursor=" + next,
                "from=2026-11-20&to=2026-11-20&limit=2&source=api&cursor=" + next,
                "from=2026-11-20&to=2026-11-20&limit=2&cursor=" + next.substring(1),
                "from=2026-11-20&to=2026-11-20&limit=2&cursor=%2B%2F%3D", "cursor=")) {
            SummaryResponse response = service.answer("GET", "/search", query, Map.of());
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(json(response).get("errors").get(0).get("parameter").asText()).as(query).isEqualTo("cursor");
        }
    }

    @Test
    void a_default_range_stays_the_first_pages_while_paging() throws Exception {
        List<SearchRow> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(TestingSearchEngine.row("2026-12-01T10:00:0" + i + "Z", "api", "error", "m", Map.of()));
        }
        TestingSearchEngine engine = new TestingSearchEngine(rows);
        String next = json(service(engine).answer("GET", "/search", "limit=2", Map.of())).get("next").asText();
        SummaryService later = new SummaryService(NO_SUMMARIES, engine,
                Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC), CachePolicy.keepingEverything());

        JsonNode second = json(later.answer("GET", "/search", "limit=2&cursor=" + next, Map.of()));

        assertThat(second.get("from").asText()).isEqualTo("2026-11-30T12:00:00.001Z");
        assertThat(second.get("rows")).hasSize(1);
        assertThat(second.get("next").isNull()).isTrue();
    }

    /** Records drawn so that timestamps collide and identical duplicates are common. */
    static Stream<Case<List<SearchRow>>> stores() {
        return TestingCases.cases("paging", 200, random -> {
            List<SearchRow> rows = new ArrayList<>();
            int count = random.nextInt(0, 60);
            for (int i = 0; i < count; i++) {
                if (!rows.isEmpty() && random.nextInt(4) == 0) {
                    rows.add(rows.get(random.nextInt(rows.size())));
                    continue;
                }
                Map<String, String> attributes = new TreeMap<>();
                if (random.nextBoolean()) {
                    attributes.put("k", "v" + random.nextInt(2));
                }
                rows.add(TestingSearchEngine.row("2026-11-" + (19 + random.nextInt(3)) + "T10:00:0"
                        + random.nextInt(3) + "Z", "s" + random.nextInt(2), random.nextBoolean() ? "error" : "info",
                        "m" + random.nextInt(3), attributes));
            }
            return rows;
        });
    }

    @ParameterizedTest
    @MethodSource("stores")
    void paging_through_an_unchanged_range_returns_every_match_exactly_once_in_order(Case<List<SearchRow>> store) {
        store.check(rows -> {
            SplittableRandom random = new SplittableRandom(rows.size());
            int limit = 1 + random.nextInt(7);
            String filters = List.of("", "&source=s1", "&logtype=error", "&q=M1", "&attr.k=v1").get(random.nextInt(5));
            SummaryService service = service(new TestingSearchEngine(rows));
            String base = "from=2026-11-19&to=2026-11-21&limit=" + limit + filters;
            List<String> seen = new ArrayList<>();
            String next = null;
            int pages = 0;
            do {
                String query = base + (next == null ? "" : "&cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
                JsonNode page = json(service.answer("GET", "/search", query, Map.of()));
                assertThat(page.get("rows").size()).isLessThanOrEqualTo(limit);
                page.get("rows").forEach(row -> seen.add(row.toString()));
                next = page.get("next").isNull() ? null : page.get("next").asText();
                assertThat(++pages).isLessThanOrEqualTo(rows.size() + 1);
            } while (next != null);

            TestingSearchEngine all = new TestingSearchEngine(rows);
            List<String> expected = new ArrayList<>();
            json(service(all).answer("GET", "/search", "from=2026-11-19&to=2026-11-21&limit=1000" + filters,
                    Map.of())).get("rows").forEach(row -> expected.add(row.toString()));
            assertThat(seen).containsExactlyElementsOf(expected);
        });
    }

    /** Query strings of known and unknown names, good and bad values, repeated names. */
    static Stream<Case<String>> queryStrings() {
        List<String> names = List.of("from", "to", "source", "logtype", "q", "limit", "cursor", "attr.k", "attr.a:b",
                "attr.", "attr.x y", "colour", "LIMIT");
        List<String> values = List.of("", "2026-11-20", "2026-11-20T10:00:00Z", "2026-13-01", "0", "1", "1000",
                "1001", "error", "ERROR", "x%25_", "%FF", "a+b", "2026-11-20T10:00:00.1234Z", "1999-12-31");
        return TestingCases.cases("search-parameters", 500, random -> {
            List<String> pairs = new ArrayList<>();
            int count = random.nextInt(0, 9);
            for (int i = 0; i < count; i++) {
                pairs.add(names.get(random.nextInt(names.size())) + "=" + values.get(random.nextInt(values.size())));
            }
            return String.join("&", pairs);
        });
    }

    @ParameterizedTest
    @MethodSource("queryStrings")
    void any_query_string_is_answered_200_or_400_with_at_most_one_error_per_parameter(Case<String> query) {
        query.check(raw -> {
            SummaryResponse response = service(new TestingSearchEngine(List.of())).answer("GET", "/search", raw,
                    Map.of());

            assertThat(response.status()).isIn(200, 400);
            if (response.status() == 400) {
                List<String> named = new ArrayList<>();
                assertThat(json(response).get("errors")).isNotEmpty();
                json(response).get("errors").forEach(e -> {
                    if (e.has("parameter")) {
                        named.add(e.get("parameter").asText());
                    }
                });
                assertThat(named).doesNotHaveDuplicates().allSatisfy(n -> assertThat(raw).contains(n));
            }
        });
    }
}
