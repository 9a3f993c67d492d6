package dev.quarry.duckdb;

import static dev.quarry.local.TestingDataset.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.TestingDataset;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every canned query on DuckDB, end to end through the summary service, against a small dataset written through
 * the real write path: three days, four sources, three logtypes, records at midnight and a microsecond before it,
 * ties in top-messages and events-by-source, a source with a quote in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuckDbSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T08:00:00Z"), ZoneOffset.UTC);

    /** Written in two flushes (two files on some days); TrinoAgreesWithDuckDbIT reads the same files on Trino. */
    static final List<List<ObjectNode>> DATASET = List.of(
            List.of(
                    record("web", "info", "2026-03-01T00:00:00Z", "started"),
                    record("web", "error", "2026-03-01T00:00:00Z", "timeout"),
                    record("api", "error", "2026-03-01T00:59:59.999Z", "timeout"),
                    record("api", "error", "2026-03-01T01:00:00Z", "disk full"),
                    record("api", "security.alert", "2026-03-01T12:00:00Z", "login failed"),
                    record("web", "error", "2026-03-01T23:59:59.999999Z", "disk full"),
                    record("web", "error", "2026-03-02T00:00:00Z", "disk full"),
                    record("api", "info", "2026-03-02T10:00:00Z", "ok")),
            List.of(
                    record("worker", "error", "2026-03-02T10:30:00Z", "timeout"),
                    record("worker", "error", "2026-03-02T10:45:00Z", "Timeout"),
                    record("api", "error", "2026-03-02T10:15:00Z", "disk full"),
                    record("worker", "info", "2026-03-03T05:00:00Z", "ok"),
                    record("api", "error", "2026-03-03T23:00:00Z", "timeout"),
                    record("o'brien", "info", "2026-03-03T06:00:00Z", "hello"),
                    record("worker", "error", "2026-03-03T07:00:00Z", "Alpha")));

    private DuckDbQueryEngine engine;
    private SummaryService service;

    @BeforeAll
    void writeDataset(@TempDir Path dataDir) throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            for (List<ObjectNode> flush : DATASET) {
                dataset.write(flush);
            }
        }
        engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
        service = new SummaryService(engine, CLOCK);
    }

    @AfterAll
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void volume_by_day() throws Exception {
        assertThat(rows("volume-by-day")).isEqualTo("["
                + "{\"dt\":\"2026-03-01\",\"events\":6},"
                + "{\"dt\":\"2026-03-02\",\"events\":5},"
                + "{\"dt\":\"2026-03-03\",\"events\":4}]");
    }

    @Test
    void events_by_logtype() throws Exception {
        assertThat(rows("events-by-logtype")).isEqualTo("["
                + "{\"dt\":\"2026-03-01\",\"logtype\":\"error\",\"events\":4},"
                + "{\"dt\":\"2026-03-01\",\"logtype\":\"info\",\"events\":1},"
                + "{\"dt\":\"2026-03-01\",\"logtype\":\"security.alert\",\"events\":1},"
                + "{\"dt\":\"2026-03-02\",\"logtype\":\"error\",\"events\":4},"
                + "{\"dt\":\"2026-03-02\",\"logtype\":\"info\",\"events\":1},"
                + "{\"dt\":\"2026-03-03\",\"logtype\":\"error\",\"events\":2},"
                + "{\"dt\":\"2026-03-03\",\"logtype\":\"info\",\"events\":2}]");
    }

    @Test
    void events_by_source_orders_by_events_then_source() throws Exception {
        assertThat(rows("events-by-source")).isEqualTo("["
                + "{\"source\":\"api\",\"events\":6,\"errors\":4},"
                + "{\"source\":\"web\",\"events\":4,\"errors\":3},"
                + "{\"source\":\"worker\",\"events\":4,\"errors\":3},"
                + "{\"source\":\"o'brien\",\"events\":1,\"errors\":0}]");
    }

    @Test
    void errors_by_hour_puts_midnight_in_the_day_it_starts() throws Exception {
        assertThat(rows("errors-by-hour")).isEqualTo("["
                + "{\"hour\":\"2026-03-01T00:00:00Z\",\"events\":2},"
                + "{\"hour\":\"2026-03-01T01:00:00Z\",\"events\":1},"
                + "{\"hour\":\"2026-03-01T23:00:00Z\",\"events\":1},"
                + "{\"hour\":\"2026-03-02T00:00:00Z\",\"events\":1},"
                + "{\"hour\":\"2026-03-02T10:00:00Z\",\"events\":3},"
                + "{\"hour\":\"2026-03-03T07:00:00Z\",\"events\":1},"
                + "{\"hour\":\"2026-03-03T23:00:00Z\",\"events\":1}]");
    }

    @Test
    void top_messages_breaks_ties_by_message() throws Exception {
        assertThat(rows("top-messages")).isEqualTo("["
                + "{\"message\":\"disk full\",\"events\":4},"
                + "{\"message\":\"timeout\",\"events\":4},"
                + "{\"message\":\"Alpha\",\"events\":1},"
                + "{\"message\":\"Timeout\",\"events\":1}]");
    }

    @Test
    void top_messages_honours_limit_and_logtype() throws Exception {
        assertThat(rows("top-messages", "limit", "2")).isEqualTo("["
                + "{\"message\":\"disk full\",\"events\":4},"
                + "{\"message\":\"timeout\",\"events\":4}]");
        assertThat(rows("top-messages", "logtype", "info")).isEqualTo("["
                + "{\"message\":\"ok\",\"events\":2},"
                + "{\"message\":\"hello\",\"events\":1},"
                + "{\"message\":\"started\",\"events\":1}]");
    }

    @Test
    void a_one_day_range_ends_at_midnight() throws Exception {
        assertThat(rows("volume-by-day", "from", "2026-03-02", "to", "2026-03-02"))
                .isEqualTo("[{\"dt\":\"2026-03-02\",\"events\":5}]");
        assertThat(rows("errors-by-hour", "from", "2026-03-01", "to", "2026-03-01")).isEqualTo("["
                + "{\"hour\":\"2026-03-01T00:00:00Z\",\"events\":2},"
                + "{\"hour\":\"2026-03-01T01:00:00Z\",\"events\":1},"
                + "{\"hour\":\"2026-03-01T23:00:00Z\",\"events\":1}]");
    }

    @Test
    void filters_by_source_and_logtype() throws Exception {
        assertThat(rows("volume-by-day", "source", "web")).isEqualTo("["
                + "{\"dt\":\"2026-03-01\",\"events\":3},"
                + "{\"dt\":\"2026-03-02\",\"events\":1}]");
        assertThat(rows("events-by-source", "logtype", "info")).isEqualTo("["
                + "{\"source\":\"api\",\"events\":1,\"errors\":0},"
                + "{\"source\":\"o'brien\",\"events\":1,\"errors\":0},"
                + "{\"source\":\"web\",\"events\":1,\"errors\":0},"
                + "{\"source\":\"worker\",\"events\":1,\"errors\":0}]");
        assertThat(rows("errors-by-hour", "source", "worker")).isEqualTo("["
                + "{\"hour\":\"2026-03-02T10:00:00Z\",\"events\":2},"
                + "{\"hour\":\"2026-03-03T07:00:00Z\",\"events\":1}]");
        assertThat(rows("events-by-logtype", "source", "o'brien"))
                .isEqualTo("[{\"dt\":\"2026-03-03\",\"logtype\":\"info\",\"events\":1}]");
    }

    @Test
    void an_injection_attempt_in_source_matches_nothing_and_fails_nothing() throws Exception {
        for (String attempt : List.of("x' OR '1'='1", "' OR 1=1 --", "web'; DROP TABLE logs; --", "?")) {
            SummaryResponse response = service.handle("volume-by-day", params("from", "2026-03-01", "to",
                    "2026-03-03", "source", attempt), null);

            assertThat(response.status()).as(attempt).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("rows").toString()).as(attempt).isEqualTo("[]");
        }
        assertThat(rows("volume-by-day")).contains("\"events\":6");
    }

    @Test
    void days_without_files_give_no_rows() throws Exception {
        assertThat(rows("volume-by-day", "from", "2026-02-01", "to", "2026-02-28")).isEqualTo("[]");
        assertThat(rows("top-messages", "from", "2026-03-04", "to", "2026-03-10")).isEqualTo("[]");
    }

    private String rows(String query, String... nameValues) throws Exception {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("from", List.of("2026-03-01"));
        parameters.put("to", List.of("2026-03-03"));
        parameters.putAll(params(nameValues));
        SummaryResponse response = service.handle(query, parameters, null);
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        return body.get("rows").toString();
    }

    private static Map<String, List<String>> params(String... nameValues) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return parameters;
    }
}
