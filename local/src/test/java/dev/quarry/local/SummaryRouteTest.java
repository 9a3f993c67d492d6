package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.TestingRequestCases;
import dev.quarry.testing.TestingLogs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code GET /summary/{query}} in the running local server, with records sent through {@code POST /logs}. */
@QuarkusTest
@TestProfile(SummaryRouteTest.Profile.class)
class SummaryRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A fresh data directory, and flushes often so that records are queryable quickly. */
    public static final class Profile implements QuarkusTestProfile {
        static final Path DATA_DIR;

        static {
            try {
                DATA_DIR = Files.createTempDirectory("quarry-summary-route");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarry.data-dir", DATA_DIR.toString(), "quarry.flush.max-age", "100ms",
                    "quarry.flush.check-interval", "50ms");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void answers_todays_volume_with_an_entity_tag_and_a_short_cache() throws Exception {
        post("[{\"source\":\"route-today\",\"logtype\":\"info\",\"message\":\"a\"},"
                + "{\"source\":\"route-today\",\"logtype\":\"error\",\"message\":\"b\"}]");
        String today = today().toString();
        String path = "/summary/volume-by-day?from=" + today + "&to=" + today + "&source=route-today";

        HttpResponse<String> response = awaitRows(path, "[{\"dt\":\"" + today + "\",\"events\":2}]");

        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).contains(CachePolicy.OPEN);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("query").asText()).isEqualTo("volume-by-day");
        assertThat(body.get("filters").toString()).isEqualTo("{\"source\":\"route-today\"}");
        assertThat(body.get("generatedAt").asText()).endsWith("Z");

        String etag = response.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> revalidated = get(path, etag);
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(revalidated.headers().firstValue("ETag")).contains(etag);
        assertThat(get(path, "\"something-else\"").statusCode()).isEqualTo(200);
    }

    @Test
    void a_closed_range_is_cached_longer() throws Exception {
        String to = today().minusDays(3).toString();

        HttpResponse<String> response = get("/summary/events-by-source?from=" + today().minusDays(9) + "&to=" + to,
                null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains(CachePolicy.CLOSED);
        assertThat(get("/summary/top-messages?from=2020-01-01&to=2020-01-02", null).headers()
                .firstValue("Cache-Control")).contains(CachePolicy.FINAL);
    }

    @Test
    void bad_parameters_are_a_bad_request_with_problem_json() throws Exception {
        HttpResponse<String> response = get("/summary/top-messages?limit=101&colour=red", null);

        assertProblem(response, 400, "invalid-parameters");
        assertThat(response.body()).contains("'colour'").contains("limit");
        assertProblem(get("/summary/top-messages?from=2026-02-30", null), 400, "invalid-parameters");
    }

    @Test
    void an_unknown_query_is_not_found() throws Exception {
        assertProblem(get("/summary/volume-by-week", null), 404, "unknown-query");
        assertProblem(get("/summary", null), 404, "unknown-query");
    }

    @Test
    void other_methods_are_not_allowed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/summary/volume-by-day"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void an_engine_failure_is_service_unavailable_with_retry_after() throws Exception {
        Path broken = Profile.DATA_DIR.resolve("logs/dt=2021-06-01/broken.parquet");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "not parquet");

        HttpResponse<String> response;
        try (TestingLogs logs = TestingLogs.capture(dev.quarry.summary.SummaryService.class)) {
            response = get("/summary/volume-by-day?from=2021-06-01&to=2021-06-01", null);
            assertThat(logs.messages(java.util.logging.Level.WARNING)).singleElement().asString()
                    .contains("broken.parquet");
        }

        assertProblem(response, 503, "query-failed");
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
    }

    @Test
    void an_injection_attempt_in_source_returns_no_rows_and_no_error() throws Exception {
        String attempt = URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8);

        HttpResponse<String> response = get("/summary/events-by-source?source=" + attempt, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("rows").toString()).isEqualTo("[]");
    }

    @Test
    void queries_during_ingest_always_answer_and_never_go_backwards() throws Exception {
        String today = today().toString();
        String path = "/summary/volume-by-day?from=" + today + "&to=" + today + "&source=route-concurrent";
        int batches = 40;
        int perBatch = 25;
        String batch = "[" + String.join(",", java.util.Collections.nCopies(perBatch,
                "{\"source\":\"route-concurrent\",\"logtype\":\"info\",\"message\":\"m\"}")) + "]";
        AtomicBoolean ingesting = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readers.add(threads.submit(() -> {
                    List<Long> seen = new ArrayList<>();
                    do {
                        HttpResponse<String> response = get(path, null);
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                        JsonNode rows = JSON.readTree(response.body()).get("rows");
                        seen.add(rows.isEmpty() ? 0L : rows.get(0).get("events").asLong());
                    } while (ingesting.get());
                    return seen;
                }));
            }
            Future<?> writer = threads.submit(() -> {
                try {
                    for (int i = 0; i < batches; i++) {
                        post(batch);
                    }
                } finally {
                    ingesting.set(false);
                }
                return null;
            });
            writer.get();
            for (Future<List<Long>> reader : readers) {
                List<Long> seen = reader.get();
                assertThat(seen).isNotEmpty().isSorted();
                assertThat(seen.get(seen.size() - 1)).isLessThanOrEqualTo((long) batches * perBatch);
            }
        } finally {
            threads.shutdownNow();
        }
        awaitRows(path, "[{\"dt\":\"" + today + "\",\"events\":" + batches * perBatch + "}]");
    }

    static List<TestingRequestCases.Case> requestCases() {
        return TestingRequestCases.all();
    }

    /**
     * The table of requests the core and the Lambda function answer too, sent as raw request lines: an HTTP client
     * would refuse to send {@code %ZZ} or re-encode what the table means to send as it is.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void each_request_of_the_shared_table_is_answered_as_the_core_answers_it(TestingRequestCases.Case c) throws Exception {
        StringBuilder request = new StringBuilder(c.method()).append(' ').append(c.target()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append("\r\nConnection: close\r\n");
        if ("POST".equals(c.method())) {
            request.append("Content-Length: 0\r\n");
        }
        c.headers().forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");

        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, headersEnd).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip());
            }
            String body = response.substring(headersEnd + 4);
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            TestingRequestCases.assertAnswer(c, status, headers,
                    body.isEmpty() ? null : body);
        }
    }

    private HttpResponse<String> awaitRows(String path, String rows) {
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            last[0] = get(path, null);
            assertThat(last[0].statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(last[0].body()).get("rows").toString()).isEqualTo(rows);
        });
        return last[0];
    }

    private void post(String body) throws Exception {
        // Recovery runs once the port is bound; until it is done, POST /logs answers 503.
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/q/health/ready", null).statusCode() == 200);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/logs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String kind) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("urn:quarry:problem:" + kind);
        assertThat(body.get("status").asInt()).isEqualTo(status);
    }
}
