package dev.quarry.athena;

import static dev.quarry.athena.TestingAthenaReplies.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.aws.TestingJson11Server.Request;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine.QueryFailedException;
import dev.quarry.summary.SummaryRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.athena.AthenaClient;

class AthenaQueryEngineTest {
    private static final String ID = "c7b2e4a0-5f1d-4c3b-9a8e-2d6f0b1e3a75";
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-11-26");

    private final TestingAthenaServer athena = new TestingAthenaServer();
    private final AthenaClient client = athena.client();
    private final TestingClock clock = new TestingClock(NOW);
    private Duration budget = AthenaQueryEngine.DEFAULT_TIME_BUDGET;
    private final AthenaQueryEngine engine = new AthenaQueryEngine(client, AthenaConfig.defaults(), clock,
            () -> budget, clock::sleep);

    @AfterEach
    void close() {
        client.close();
        athena.close();
    }

    @Test
    void sends_the_canned_sql_on_the_logs_table_with_each_value_as_one_literal_and_result_reuse() throws Exception {
        succeedWith("get-query-results-volume-by-day");

        engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26", "source", "o'brien"));

        Request start = athena.requests("StartQueryExecution").get(0);
        assertThat(start.contentType()).isEqualTo("application/x-amz-json-1.1");
        assertThat(fieldNames(start.body())).containsExactlyInAnyOrder("QueryString", "WorkGroup",
                "QueryExecutionContext", "ExecutionParameters", "ResultReuseConfiguration", "ClientRequestToken");
        assertThat(start.body().get("QueryString").asText()).isEqualTo("""
                SELECT dt, count(*) AS events
                FROM "quarry"."logs"
                WHERE dt BETWEEN ? AND ?
                  AND (? = '' OR source = ?)
                  AND (? = '' OR logtype = ?)
                GROUP BY dt
                ORDER BY dt""");
        assertThat(start.body().get("WorkGroup").asText()).isEqualTo("quarry");
        assertThat(start.body().get("QueryExecutionContext").toString()).isEqualTo("{\"Database\":\"quarry\"}");
        assertThat(start.body().get("ExecutionParameters").toString())
                .isEqualTo("[\"'2026-11-20'\",\"'2026-11-26'\",\"'o''brien'\",\"'o''brien'\",\"''\",\"''\"]");
        // The range ends today: it may be cached for 60 s, so Athena may reuse a result for 1 minute.
        assertThat(start.body().get("ResultReuseConfiguration").toString())
                .isEqualTo("{\"ResultReuseByAgeConfiguration\":{\"Enabled\":true,\"MaxAgeInMinutes\":1}}");
    }

    @Test
    void top_messages_writes_its_limit_into_the_sql_and_binds_logtype_before_source() throws Exception {
        athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                .reply("GetQueryResults", TestingAthenaReplies.resultSet(CannedQuery.TOP_MESSAGES,
                        List.of(List.of("disk \"full\"\n'/var'", 4L))));

        List<List<Object>> rows = engine.run(bind(CannedQuery.TOP_MESSAGES, "from", "2026-11-20", "to", "2026-11-26",
                "source", "web", "limit", "3"));

        assertThat(rows).containsExactly(List.of("disk \"full\"\n'/var'", 4L));
        JsonNode start = athena.requests("StartQueryExecution").get(0).body();
        assertThat(start.get("QueryString").asText()).endsWith("\nLIMIT 3").doesNotContain("{{");
        assertThat(start.get("ExecutionParameters").toString())
                .isEqualTo("[\"'2026-11-20'\",\"'2026-11-26'\",\"'error'\",\"'web'\",\"'web'\"]");
    }

    @Test
    void a_closed_range_is_reused_for_an_hour_and_a_final_one_for_seven_days() throws Exception {
        succeedWith("get-query-results-volume-by-day");
        succeedWith("get-query-results-volume-by-day");

        engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-24"));
        engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-10-01", "to", "2026-10-07"));

        List<Request> starts = athena.requests("StartQueryExecution");
        assertThat(starts.get(0).body().at("/ResultReuseConfiguration/ResultReuseByAgeConfiguration").toString())
                .isEqualTo("{\"Enabled\":true,\"MaxAgeInMinutes\":60}");
        assertThat(starts.get(1).body().at("/ResultReuseConfiguration/ResultReuseByAgeConfiguration").toString())
                .isEqualTo("{\"Enabled\":true,\"MaxAgeInMinutes\":10080}");
    }

    @Test
    void result_reuse_can_be_turned_off() throws Exception {
        succeedWith("get-query-results-volume-by-day");
        AthenaQueryEngine noReuse = new AthenaQueryEngine(client, AthenaConfig.defaults().withResultReuseMaxAgeMinutes(0),
                clock, () -> budget, clock::sleep);

        noReuse.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-10-01", "to", "2026-10-07"));

        assertThat(athena.requests("StartQueryExecution").get(0).body().get("ResultReuseConfiguration").toString())
                .isEqualTo("{\"ResultReuseByAgeConfiguration\":{\"Enabled\":false}}");
    }

    @Test
    void follows_next_token_across_pages_dropping_only_the_header_row_of_the_first() throws Exception {
        athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                .reply("GetQueryResults", sample("get-query-results-volume-by-day-page-1", ID))
                .reply("GetQueryResults", sample("get-query-results-volume-by-day-page-2", ID))
                .reply("GetQueryResults", sample("get-query-results-volume-by-day-page-3", ID));

        List<List<Object>> rows = engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26"));

        assertThat(rows).containsExactly(List.of("2026-11-20", 1200L), List.of("2026-11-21", 5_000_000_000L),
                List.of("2026-11-22", 7L), List.of("2026-11-24", 0L), List.of("2026-11-26", 31L));
        List<String> pages = athena.requests("GetQueryResults").stream().map(r -> r.body().toString()).toList();
        assertThat(pages).containsExactly(
                "{\"QueryExecutionId\":\"" + ID + "\",\"MaxResults\":1000}",
                "{\"QueryExecutionId\":\"" + ID + "\",\"NextToken\":\"AYrRJAY0x3Ng-page-2\",\"MaxResults\":1000}",
                "{\"QueryExecutionId\":\"" + ID + "\",\"NextToken\":\"AYrRJAY0x3Ng-page-3\",\"MaxResults\":1000}");
    }

    @Test
    void values_are_typed_by_their_columns_bigint_as_long_timestamp_as_utc_instant_null_as_null() throws Exception {
        succeedWith("get-query-results-errors-by-hour");

        List<List<Object>> rows = engine.run(bind(CannedQuery.ERRORS_BY_HOUR, "from", "2026-11-26", "to", "2026-11-26"));

        assertThat(rows).containsExactly(List.of(Instant.parse("2026-11-26T00:00:00Z"), 2L),
                List.of(Instant.parse("2026-11-26T10:00:00Z"), 14L), Arrays.asList(null, 1L));
        assertThat(rows.get(0).get(1)).isInstanceOf(Long.class);
    }

    @Test
    void polls_with_backoff_while_the_query_runs_then_reads_its_results() throws Exception {
        athena.reply("StartQueryExecution", sample("start-query-execution", ID));
        for (int i = 0; i < 5; i++) {
            athena.reply("GetQueryExecution", sample("get-query-execution-running", ID));
        }
        athena.reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                .reply("GetQueryResults", sample("get-query-results-volume-by-day", ID));

        List<List<Object>> rows = engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26"));

        assertThat(rows).containsExactly(List.of("2026-11-26", 31L));
        assertThat(clock.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(athena.operations()).containsExactly("StartQueryExecution", "GetQueryExecution", "GetQueryExecution",
                "GetQueryExecution", "GetQueryExecution", "GetQueryExecution", "GetQueryExecution", "GetQueryResults");
        assertThat(athena.requests("GetQueryExecution")).allSatisfy(r -> assertThat(r.body().toString())
                .isEqualTo("{\"QueryExecutionId\":\"" + ID + "\"}"));
    }

    @Test
    void a_failed_query_fails_with_athenas_reason() {
        athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("GetQueryExecution", sample("get-query-execution-failed", ID));

        assertThatThrownBy(() -> engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26")))
                .isInstanceOfSatisfying(AthenaQueryEngine.AthenaQueryFailedException.class, e -> assertThat(e.stats())
                        .hasValueSatisfying(stats -> assertThat(stats.state()).isEqualTo("FAILED")))
                .hasMessageContaining(ID).hasMessageContaining("FAILED")
                .hasMessageContaining("TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.quarry.logs' does not exist");
        assertThat(athena.operations()).containsExactly("StartQueryExecution", "GetQueryExecution");
    }

    @Test
    void a_cancelled_query_fails_and_its_scan_is_still_recorded() {
        athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("GetQueryExecution", sample("get-query-execution-running", ID))
                .reply("GetQueryExecution", sample("get-query-execution-cancelled", ID));

        assertThatThrownBy(() -> engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26")))
                .isInstanceOfSatisfying(AthenaQueryEngine.AthenaQueryFailedException.class, e -> assertThat(e.stats())
                        .hasValue(new QueryStats(ID, "volume-by-day", "CANCELLED", 10_737_418_240L, 11_876, 12_222,
                                false, 0)))
                .hasMessageContaining("CANCELLED").hasMessageContaining("workgroup's limit");
        assertThat(athena.operations()).doesNotContain("GetQueryResults", "StopQueryExecution");
    }

    @Test
    void a_query_still_running_when_the_budget_runs_out_is_stopped_and_fails() {
        budget = Duration.ofSeconds(2);
        athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("StopQueryExecution", "{}");
        for (int i = 0; i < 20; i++) {
            athena.reply("GetQueryExecution", sample("get-query-execution-running", ID));
        }

        assertThatThrownBy(() -> engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26")))
                .isInstanceOf(QueryFailedException.class).hasMessageContaining("time budget")
                .hasMessageContaining("RUNNING");
        assertThat(clock.instant()).isEqualTo(NOW.plus(budget));
        assertThat(clock.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofMillis(500));
        List<String> actions = athena.operations();
        assertThat(actions.get(actions.size() - 1)).isEqualTo("StopQueryExecution");
        assertThat(actions).doesNotContain("GetQueryResults");
        assertThat(athena.requests("StopQueryExecution")).singleElement()
                .satisfies(r -> assertThat(r.body().toString()).isEqualTo("{\"QueryExecutionId\":\"" + ID + "\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TooManyRequestsException", "ThrottlingException"})
    void a_throttled_start_is_retried_by_the_sdk_with_the_same_request(String errorType) throws Exception {
        athena.error("StartQueryExecution", errorType, "Rate exceeded");
        succeedWith("get-query-results-volume-by-day");

        List<List<Object>> rows = engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26"));

        assertThat(rows).containsExactly(List.of("2026-11-26", 31L));
        List<Request> starts = athena.requests("StartQueryExecution");
        assertThat(starts).hasSize(2);
        // The same idempotency token: had the first attempt started a query, Athena would not start a second.
        assertThat(starts.get(1).body()).isEqualTo(starts.get(0).body());
        assertThat(starts.get(0).body().get("ClientRequestToken").asText()).isNotBlank();
    }

    @Test
    void an_invalid_request_is_not_retried_and_fails() {
        athena.error("StartQueryExecution", "InvalidRequestException", "line 1:8: mismatched input");

        assertThatThrownBy(() -> engine.run(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26")))
                .isInstanceOf(QueryFailedException.class).hasMessageContaining("Cannot start volume-by-day")
                .hasMessageContaining("mismatched input");
        assertThat(athena.operations()).containsExactly("StartQueryExecution");
    }

    @Test
    void records_and_logs_the_bytes_scanned_and_engine_time_of_each_query() throws Exception {
        List<String> lines = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(AthenaQueryEngine.class.getName());
        logger.addHandler(handler);
        try {
            succeedWith("get-query-results-volume-by-day");
            athena.reply("StartQueryExecution", sample("start-query-execution", "reused-" + ID))
                    .reply("GetQueryExecution", sample("get-query-execution-reused", "reused-" + ID))
                    .reply("GetQueryResults", sample("get-query-results-volume-by-day", "reused-" + ID));

            QueryStats first = engine.execute(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to", "2026-11-26"))
                    .stats();
            QueryStats second = engine.execute(bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to",
                    "2026-11-26")).stats();

            assertThat(first).isEqualTo(new QueryStats(ID, "volume-by-day", "SUCCEEDED", 52_428_800, 1_234, 1_666, false,
                    1));
            assertThat(second.reusedPreviousResult()).isTrue();
            assertThat(second.dataScannedInBytes()).isZero();
            assertThat(lines).containsExactly(
                    "athena-query id=" + ID + " query=volume-by-day state=SUCCEEDED scanned-bytes=52428800"
                            + " engine-ms=1234 total-ms=1666 reused=false rows=1",
                    "athena-query id=reused-" + ID + " query=volume-by-day state=SUCCEEDED scanned-bytes=0"
                            + " engine-ms=0 total-ms=78 reused=true rows=1");
        } finally {
            logger.removeHandler(handler);
        }
    }

    private void succeedWith(String resultsSample) {
        athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                .reply("GetQueryResults", sample(resultsSample, ID));
    }

    static BoundQuery bind(CannedQuery query, String... nameValues) throws SummaryRequest.InvalidParametersException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return SummaryRequest.parse(query, parameters, TODAY).bind();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
