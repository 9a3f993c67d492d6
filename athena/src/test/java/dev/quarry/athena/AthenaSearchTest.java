package dev.quarry.athena;

import static dev.quarry.athena.TestingAthenaReplies.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.search.SearchRow;
import dev.quarry.summary.QueryEngine;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
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
                    .reply("GetQueryResults", resultSet(ROWS));
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
            assertThat(values).hasSize(26);
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
                    .reply("GetQueryResults", resultSet(List.of()));
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
            SummaryResponse actual = new SummaryService(bound -> List.of(), engine, Clock.fixed(NOW, ZoneOffset.UTC),
                    dev.quarry.summary.CachePolicy.withRetention(java.util.Optional.empty()))
                    .answer("GET", "/search", "q=x", Map.of());

            assertThat(actual.status()).isEqualTo(503);
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

    /** The one page of GetQueryResults Athena answers for search.sql: all text, attributes as JSON text. */
    private static String resultSet(List<SearchRow> rows) throws Exception {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("UpdateCount", 0);
        ObjectNode resultSet = reply.putObject("ResultSet");
        ArrayNode jsonRows = resultSet.putArray("Rows");
        List<String> names = List.of("timestamp", "dt", "source", "logtype", "message", "attributes");
        List<String> types = List.of("timestamp", "varchar", "varchar", "varchar", "varchar", "json");
        ArrayNode header = jsonRows.addObject().putArray("Data");
        names.forEach(name -> header.addObject().put("VarCharValue", name));
        for (SearchRow row : rows) {
            ArrayNode data = jsonRows.addObject().putArray("Data");
            data.addObject().put("VarCharValue", TIMESTAMP.format(row.timestamp()));
            data.addObject().put("VarCharValue", row.dt());
            data.addObject().put("VarCharValue", row.source());
            data.addObject().put("VarCharValue", row.logtype());
            data.addObject().put("VarCharValue", row.message());
            data.addObject().put("VarCharValue", JSON.writeValueAsString(row.attributes()));
        }
        ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        for (int i = 0; i < names.size(); i++) {
            columns.addObject().put("CatalogName", "hive").put("SchemaName", "").put("TableName", "")
                    .put("Name", names.get(i)).put("Label", names.get(i)).put("Type", types.get(i))
                    .put("Precision", i == 0 ? 3 : 2147483647).put("Scale", 0).put("Nullable", "UNKNOWN")
                    .put("CaseSensitive", true);
        }
        return reply.toString();
    }
}
