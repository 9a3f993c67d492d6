package dev.quarry.lambda;

import static dev.quarry.athena.TestingAthenaReplies.sample;
import static dev.quarry.lambda.TestingSummaryEngine.ATHENA;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.athena.TestingAthenaReplies;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import dev.quarry.testing.TestingLogs;
import dev.quarry.summary.TestingRequestCases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The summary handler inside Quarkus, invoked through the extension's mock event server with function-URL events as
 * CloudFront forwards them; the engine is the real Athena adapter on a loopback Athena.
 */
@QuarkusTest
@TestProfile(SummaryHandlerTest.SummaryFunction.class)
class SummaryHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "8f14e45f-ceea-467f-a0e6-9b1c2d3e4f50";
    /** The rows of volume-by-day in the fixtures, and the ETag they give (the if-none-match fixture carries it). */
    private static final List<List<Object>> VOLUME = List.of(List.of("2026-11-20", 3L),
            List.of("2026-11-26", 5_000_000_000L));
    /** The query string of the volume-by-day fixtures. */
    private static final String VOLUME_QUERY = "from=2026-11-20&to=2026-11-26&source=o%27brien";

    public static class SummaryFunction implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "summary");
        }
    }

    @Inject
    SummaryHandler handler;

    @BeforeEach
    void reset() {
        ATHENA.reset();
    }

    @Test
    void a_summary_is_answered_from_athena_as_the_core_answers_it() throws Exception {
        succeedWith(CannedQuery.VOLUME_BY_DAY, VOLUME);
        SummaryResponse local = local("volume-by-day", VOLUME_QUERY, VOLUME, null);

        JsonNode response = invoke(TestingEvents.json("function-url-volume-by-day.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(headers(response)).isEqualTo(local.headers()).containsKeys("Content-Type", "Cache-Control", "ETag");
        assertThat(withoutGeneratedAt(response.get("body").asText())).isEqualTo(withoutGeneratedAt(local.bodyText()));
        assertThat(ATHENA.operations()).containsExactly("StartQueryExecution", "GetQueryExecution", "GetQueryResults");
        JsonNode start = ATHENA.requests("StartQueryExecution").get(0).body();
        assertThat(start.get("WorkGroup").asText()).isEqualTo("quarry");
        assertThat(start.get("QueryExecutionContext").get("Database").asText()).isEqualTo("quarry");
        assertThat(start.get("QueryString").asText()).contains("FROM \"quarry\".\"logs\"");
        assertThat(start.get("ExecutionParameters").toString())
                .isEqualTo("[\"'2026-11-20'\",\"'2026-11-26'\",\"'o''brien'\",\"'o''brien'\",\"''\",\"''\"]");
    }

    @Test
    void a_matching_if_none_match_is_answered_304_without_a_body() throws Exception {
        succeedWith(CannedQuery.VOLUME_BY_DAY, VOLUME);
        String event = TestingEvents.json("function-url-if-none-match.json");
        String etag = JSON.readTree(event).get("headers").get("if-none-match").asText();
        SummaryResponse local = local("volume-by-day", VOLUME_QUERY, VOLUME, etag);
        assertThat(local.status()).as("the fixture's if-none-match is the ETag of these rows, %s",
                local("volume-by-day", VOLUME_QUERY, VOLUME, null).header("ETag")).isEqualTo(304);

        JsonNode response = invoke(event);

        assertThat(response.get("statusCode").asInt()).isEqualTo(304);
        assertThat(response.path("body").isNull() || response.path("body").isMissingNode()).isTrue();
        assertThat(headers(response)).isEqualTo(local.headers()).containsEntry("ETag", etag);
    }

    @Test
    void bad_parameters_are_refused_before_any_athena_request() throws Exception {
        JsonNode response = invoke(TestingEvents.json("function-url-bad-parameter.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(400);
        assertThat(headers(response)).containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        JsonNode problem = JSON.readTree(response.get("body").asText());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors").findValuesAsText("parameter")).containsExactly("from", "limit");
        assertThat(ATHENA.requests()).as("no Athena request").isEmpty();
    }

    @Test
    void a_repeated_parameter_is_two_values_and_refused_as_locally() throws Exception {
        JsonNode response = invoke(TestingEvents.json("function-url-repeated-parameter.json"));

        SummaryResponse local = local("events-by-source", "source=api&source=web", List.of(), null);
        assertThat(response.get("statusCode").asInt()).isEqualTo(400);
        assertThat(response.get("body").asText()).isEqualTo(local.bodyText());
        assertThat(ATHENA.requests()).isEmpty();
    }

    @Test
    void an_unknown_query_is_404_without_any_athena_request() throws Exception {
        JsonNode response = invoke(TestingEvents.json("function-url-unknown-query.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(404);
        assertThat(response.get("body").asText())
                .isEqualTo(local("no-such-summary", "", List.of(), null).bodyText());
        assertThat(headers(response)).containsEntry("Cache-Control", "no-store");
        assertThat(ATHENA.requests()).isEmpty();
    }

    @Test
    void another_path_is_404_problem_json() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(TestingEvents.json("function-url-unknown-query.json"));
        event.put("rawPath", "/summary/volume-by-day/extra");

        JsonNode response = invoke(event.toString());

        assertThat(response.get("statusCode").asInt()).isEqualTo(404);
        assertThat(headers(response)).containsEntry("Content-Type", "application/problem+json");
        assertThat(JSON.readTree(response.get("body").asText()).get("detail").asText())
                .startsWith("Name a summary: /summary/{query}");
    }

    @Test
    void a_post_is_405_with_allow_get() throws Exception {
        JsonNode response = invoke(TestingEvents.json("function-url-post.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(405);
        assertThat(headers(response)).containsEntry("Allow", "GET").containsEntry("Cache-Control", "no-store")
                .containsEntry("Content-Type", "application/problem+json");
        assertThat(ATHENA.requests()).isEmpty();
    }

    @Test
    void a_head_is_405_as_on_the_local_server() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(TestingEvents.json("function-url-volume-by-day.json"));
        ((ObjectNode) event.get("requestContext").get("http")).put("method", "HEAD");

        assertThat(invoke(event.toString()).get("statusCode").asInt()).isEqualTo(405);
        assertThat(ATHENA.requests()).isEmpty();
    }

    @Test
    void a_failed_query_is_503_with_retry_after_and_no_store() throws Exception {
        ATHENA.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("GetQueryExecution", sample("get-query-execution-failed", ID));

        try (TestingLogs logs = TestingLogs.capture(SummaryService.class)) {
            JsonNode response = invoke(TestingEvents.json("function-url-volume-by-day.json"));

            assertThat(response.get("statusCode").asInt()).isEqualTo(503);
            assertThat(headers(response)).containsEntry("Retry-After", "5").containsEntry("Cache-Control", "no-store")
                    .containsEntry("Content-Type", "application/problem+json");
            assertThat(response.get("body").asText()).doesNotContain(ID);
            // The operator's log names the query and Athena's reason; the client's answer does not.
            assertThat(logs.messages(Level.WARNING)).singleElement().asString()
                    .startsWith("The summary volume-by-day failed: Athena query " + ID).contains("TABLE_NOT_FOUND");
        }
    }

    /** Called directly with a context that has 3.5 s left: the query gets 0.5 s, then is stopped, and 503 comes. */
    @Test
    void a_query_outliving_the_invocations_deadline_is_stopped_and_answered_503() throws Exception {
        ATHENA.reply("StartQueryExecution", sample("start-query-execution", ID));
        for (int i = 0; i < 50; i++) {
            ATHENA.reply("GetQueryExecution", sample("get-query-execution-running", ID));
        }
        ATHENA.reply("StopQueryExecution", "{}");
        APIGatewayV2HTTPEvent event = JSON.readValue(TestingEvents.json("function-url-volume-by-day.json"),
                APIGatewayV2HTTPEvent.class);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response;
        try (TestingLogs logs = TestingLogs.capture(SummaryService.class)) {
            response = handler.handleRequest(event, context(3_500));
            assertThat(logs.messages(Level.WARNING)).singleElement().asString()
                    .contains("was still RUNNING when its time budget ran out; it was stopped");
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "5").containsEntry("Cache-Control", "no-store");
        assertThat(ATHENA.operations()).startsWith("StartQueryExecution", "GetQueryExecution")
                .endsWith("StopQueryExecution");
        assertThat(millis).as("answered within the invocation's remaining time").isLessThan(3_500);
    }

    static Stream<Arguments> summaries() {
        return Stream.of(
                Arguments.of("volume-by-day", "from=2026-11-20&to=2026-11-26",
                        List.of(List.of("2026-11-20", 3L), List.of("2026-11-26", 5_000_000_000L))),
                Arguments.of("events-by-logtype", "from=2026-11-20&to=2026-11-22&source=o%27brien",
                        List.of(List.of("2026-11-20", "error", 2L), List.of("2026-11-20", "info", 1L))),
                Arguments.of("events-by-source", "from=2026-11-01&to=2026-11-07",
                        List.of(List.of("api", 6L, 4L), List.of("o'brien", 1L, 0L))),
                Arguments.of("errors-by-hour", "from=2026-11-26&to=2026-11-26",
                        List.of(List.of(Instant.parse("2026-11-26T00:00:00Z"), 2L),
                                List.of(Instant.parse("2026-11-26T23:00:00Z"), 1L))),
                Arguments.of("top-messages", "from=2026-11-20&to=2026-11-26&limit=2&logtype=security.alert",
                        List.of(List.of("disk \"full\"\n\tat /var/log", 4L), List.of("Ünïcode ✓ 🚀 'quoted'", 1L))));
    }

    /** The same rows give the same status, headers and body (but generatedAt) through the handler and locally. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("summaries")
    void the_handler_answers_the_same_bytes_as_the_core_on_the_same_rows(String query, String rawQueryString,
            List<List<Object>> rows) throws Exception {
        CannedQuery canned = CannedQuery.byName(query).orElseThrow();
        succeedWith(canned, rows);
        ObjectNode event = (ObjectNode) JSON.readTree(TestingEvents.json("function-url-volume-by-day.json"));
        event.put("rawPath", "/summary/" + query).put("rawQueryString", rawQueryString).remove("queryStringParameters");

        JsonNode response = invoke(event.toString());

        SummaryResponse local = local(query, rawQueryString, rows, null);
        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(headers(response)).isEqualTo(local.headers());
        assertThat(withoutGeneratedAt(response.get("body").asText())).isEqualTo(withoutGeneratedAt(local.bodyText()));
    }

    static List<TestingRequestCases.Case> requestCases() {
        return TestingRequestCases.all();
    }

    /** The table of requests the core and the local server answer too: the same answers through a function URL. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void each_request_of_the_shared_table_is_answered_as_the_core_answers_it(TestingRequestCases.Case c)
            throws Exception {
        for (CannedQuery query : CannedQuery.values()) {
            if (c.path().equals("/summary/" + query.queryName())
                    || c.path().equals("/summary/" + query.queryName().replace("-", "%2D"))) {
                succeedWith(query, List.of());
            }
        }
        ObjectNode event = (ObjectNode) JSON.readTree(TestingEvents.json("function-url-volume-by-day.json"));
        event.put("rawPath", c.path()).put("rawQueryString", c.query() == null ? "" : c.query())
                .remove("queryStringParameters");
        ((ObjectNode) event.get("requestContext").get("http")).put("method", c.method()).put("path", c.path());
        // Function URLs pass header names in lower case.
        c.headers().forEach((name, value) -> ((ObjectNode) event.get("headers")).put(name.toLowerCase(Locale.ROOT),
                value));

        JsonNode response = invoke(event.toString());

        TestingRequestCases.assertAnswer(c, response.get("statusCode").asInt(), headers(response),
                response.path("body").isTextual() ? response.get("body").asText() : null);
        if (c.status() != 200 && c.status() != 304) {
            assertThat(ATHENA.requests()).as("no Athena request").isEmpty();
        }
    }

    private static void succeedWith(CannedQuery query, List<List<Object>> rows) {
        ATHENA.reply("StartQueryExecution", sample("start-query-execution", ID))
                .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                .reply("GetQueryResults", TestingAthenaReplies.resultSet(query, rows));
    }

    /** What the core answers on an engine that returns these typed rows, as the local server's DuckDB would. */
    private static SummaryResponse local(String query, String rawQuery, List<List<Object>> rows, String ifNoneMatch) {
        return new SummaryService(bound -> rows, Clock.systemUTC()).answer("GET", "/summary/" + query, rawQuery,
                ifNoneMatch == null ? Map.of() : Map.of("If-None-Match", ifNoneMatch));
    }

    private static JsonNode invoke(String event) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        String body = given().baseUri("http://localhost").port(port).contentType("application/json").body(event)
                .post("/_lambda_").then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    private static Map<String, String> headers(JsonNode response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.get("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return headers;
    }

    static String withoutGeneratedAt(String body) {
        return body.replaceFirst(",\"generatedAt\":\"[^\"]*\"}$", "}");
    }

    private static Context context(long remainingMillis) {
        long deadline = System.currentTimeMillis() + remainingMillis;
        return new Context() {
            public String getAwsRequestId() {
                return "0f9e8d7c-6b5a-4948-8372-615243342516";
            }

            public String getLogGroupName() {
                return "/aws/lambda/quarry-summary";
            }

            public String getLogStreamName() {
                return "2026/11/27/[1]0123456789abcdef";
            }

            public String getFunctionName() {
                return "quarry-summary";
            }

            public String getFunctionVersion() {
                return "1";
            }

            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:us-east-1:123456789012:function:quarry-summary:live";
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return (int) (deadline - System.currentTimeMillis());
            }

            public int getMemoryLimitInMB() {
                return 512;
            }

            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
