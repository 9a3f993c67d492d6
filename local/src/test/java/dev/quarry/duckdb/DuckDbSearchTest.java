package dev.quarry.duckdb;

import static dev.quarry.local.TestingDataset.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.TestingDataset;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql/search.sql} on DuckDB, end to end through the summary service's {@code /search}, over records written
 * through the real write path: identical duplicates, shared timestamps, attributes, and messages holding LIKE's
 * wildcard characters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuckDbSearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T08:00:00Z"), ZoneOffset.UTC);

    private DuckDbQueryEngine engine;
    private SummaryService service;

    private static ObjectNode with(ObjectNode record, String key, String value) {
        ((ObjectNode) record.with("attributes")).put(key, value);
        return record;
    }

    @BeforeAll
    void writeDataset(@TempDir Path dataDir) throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            dataset.write(List.of(
                    record("web", "info", "2026-03-01T00:00:00Z", "started"),
                    with(record("web", "error", "2026-03-01T10:00:00Z", "Timeout after 50% of 5_s"), "request_id",
                            "r-1"),
                    with(record("web", "error", "2026-03-01T10:00:00Z", "Timeout after 50% of 5_s"), "request_id",
                            "r-1"),
                    with(record("web", "error", "2026-03-01T10:00:00Z", "Timeout after 50% of 5_s"), "request_id",
                            "r-1"),
                    with(record("api", "error", "2026-03-01T10:00:00Z", "timeout"), "request_id", "r-2"),
                    record("api", "error", "2026-03-02T10:00:00Z", "disk full"),
                    record("api", "error", "2026-03-02T10:00:00Z", "disk full"),
                    with(record("o'brien", "info", "2026-03-03T06:00:00.123Z", "hello\nworld"), "trace_id", "abc")));
        }
        engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
        service = new SummaryService(engine, engine, CLOCK, CachePolicy.keepingEverything());
    }

    @AfterAll
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private JsonNode search(String query) throws Exception {
        SummaryResponse response = service.answer("GET", "/search", query, Map.of());
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private List<String> messages(JsonNode page) {
        List<String> messages = new ArrayList<>();
        page.get("rows").forEach(row -> messages.add(row.get("message").asText()));
        return messages;
    }

    @Test
    void rows_come_newest_first_with_their_fields() throws Exception {
        JsonNode page = search("from=2026-03-01&to=2026-03-03");

        assertThat(page.get("rows")).hasSize(8);
        assertThat(page.get("rows").get(0).toString()).isEqualTo("{\"timestamp\":\"2026-03-03T06:00:00.123Z\","
                + "\"dt\":\"2026-03-03\",\"source\":\"o'brien\",\"logtype\":\"info\",\"message\":\"hello\\nworld\","
                + "\"attributes\":{\"trace_id\":\"abc\"}}");
        assertThat(page.get("rows").get(7).get("message").asText()).isEqualTo("started");
        assertThat(page.get("rows").get(7).get("attributes").toString()).isEqualTo("{}");
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void q_matches_a_substring_ignoring_case_with_wildcards_as_plain_characters() throws Exception {
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&q=TIMEOUT"))).hasSize(4);
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&q=" + enc("50% of 5_")))).hasSize(3);
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&q=" + enc("5%s")))).isEmpty();
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&q=" + enc("t_meout")))).isEmpty();
    }

    @Test
    void attribute_filters_match_exactly_and_a_missing_key_matches_nothing() throws Exception {
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&attr.request_id=r-2"))).containsExactly("timeout");
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&attr.nope=r-2"))).isEmpty();
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&attr.request_id=r-1&attr.trace_id=abc"))).isEmpty();
    }

    @Test
    void source_logtype_and_the_range_filter() throws Exception {
        assertThat(messages(search("from=2026-03-01&to=2026-03-03&source=" + enc("o'brien")))).containsExactly(
                "hello\nworld");
        assertThat(messages(search("from=2026-03-02&to=2026-03-02&logtype=error"))).containsExactly("disk full",
                "disk full");
        assertThat(messages(search("from=2026-03-01T10:00:00Z&to=2026-03-01T10:00:00.001Z"))).hasSize(4);
        assertThat(messages(search("from=2026-03-01T00:00:00.001Z&to=2026-03-01T10:00:00Z"))).isEmpty();
    }

    @Test
    void paging_by_one_returns_every_record_once_identical_duplicates_included() throws Exception {
        List<String> all = new ArrayList<>();
        search("from=2026-03-01&to=2026-03-03&limit=1000").get("rows").forEach(row -> all.add(row.toString()));
        for (int limit = 1; limit <= 3; limit++) {
            List<String> paged = new ArrayList<>();
            String next = null;
            do {
                JsonNode page = search("from=2026-03-01&to=2026-03-03&limit=" + limit
                        + (next == null ? "" : "&cursor=" + enc(next)));
                page.get("rows").forEach(row -> paged.add(row.toString()));
                next = page.get("next").isNull() ? null : page.get("next").asText();
            } while (next != null);
            assertThat(paged).as("limit " + limit).containsExactlyElementsOf(all);
        }
    }

    @Test
    void a_range_without_files_answers_no_rows() throws Exception {
        assertThat(search("from=2026-02-01&to=2026-02-02").get("rows")).isEmpty();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
