package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.record.EventDay;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The packaged local pipeline, end to end: HTTP in, Parquet out. */
class IngestIT extends TestingServerPerClass {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestingStoredLogs.Stored awaitStored(String message) {
        return awaitStored(message, 1).get(0);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void the_original_patterns_example_is_stored_with_its_timestamp_under_the_day_it_was_received() throws Exception {
        String message = "ooops, something went wrong " + System.nanoTime();
        HttpResponse<String> response = server.postLogs("{\"source\": \"financialSystem\", \"logtype\": \"error\","
                + " \"timestamp\": \"1694209417035\", \"message\": \"" + message + "\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"accepted\": true, \"records\": 1}"));

        TestingStoredLogs.Stored stored = awaitStored(message);
        assertThat(stored.timestamp()).isEqualTo(Instant.parse("2023-09-08T21:43:37.035Z"));
        assertThat(stored.source()).isEqualTo("financialSystem");
        assertThat(stored.logtype()).isEqualTo("error");
        // 2023 lies outside the recency window, so the record is filed under the day it was received.
        assertThat(stored.dt()).isEqualTo(LocalDate.ofInstant(stored.receivedAt(), ZoneOffset.UTC));
        assertThat(stored.receivedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void a_current_timestamp_files_the_record_under_its_own_day() throws Exception {
        String message = "current " + System.nanoTime();
        long now = System.currentTimeMillis();
        assertThat(server.postLogs("{\"source\": \"financialSystem\", \"logtype\": \"error\", \"timestamp\": \""
                + now + "\", \"message\": \"" + message + "\"}").statusCode()).isEqualTo(200);
        TestingStoredLogs.Stored stored = awaitStored(message);
        assertThat(stored.timestamp()).isEqualTo(Instant.ofEpochMilli(now));
        assertThat(stored.dt()).isEqualTo(LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC));
    }

    @Test
    void the_original_patterns_typo_is_refused_naming_the_field() throws Exception {
        HttpResponse<String> response = server.postLogs("{\" source\": \"financialSystem\", \"logtype\": \"error\","
                + " \"timestamp\": \"1694209417035\", \"message\": \"ooops, something went wrong\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("type").asText()).isEqualTo("urn:quarry:problem:invalid-record");
        assertThat(problem.path("detail").asText()).contains("' source'").contains("did you mean 'source'");
        assertThat(problem.path("errors")).anySatisfy(e -> assertThat(e.path("field").asText()).isEqualTo(" source"));
    }

    @Test
    void a_bad_record_in_an_array_refuses_the_whole_request_naming_its_index() throws Exception {
        String marker = "all-or-nothing " + System.nanoTime();
        ArrayNode body = JSON.createArrayNode();
        for (int i = 0; i < 5; i++) {
            body.addObject().put("source", "s").put("logtype", i == 3 ? "Not Valid" : "info").put("message", marker);
        }
        HttpResponse<String> response = server.postLogs(body.toString());
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("errors").get(0);
        assertThat(error.path("index").asInt()).isEqualTo(3);
        assertThat(error.path("field").asText()).isEqualTo("logtype");
        assertThat(error.path("pointer").asText()).isEqualTo("/3/logtype");
        Thread.sleep(QUERYABLE_WITHIN.toMillis() / 2 + 1_000);
        assertThat(storedWithMessage(marker)).isEmpty();
    }

    @Test
    void text_is_stored_byte_exact() throws Exception {
        List<String> messages = List.of(
                "quotes \" and ' and `backticks`",
                "back\\slash \\n not a newline \\u0041",
                "line one\nline two\r\nline three\ttabbed",
                "emoji 😀👍🏽👨‍👩‍👧 and flags 🇺🇦",
                "scripts: 日本語 中文 한국어 العربية עברית हिन्दी ไทย Ελληνικά русский",
                "combining e\u0301 vs \u00e9, zero-width\u200bspace, line sep\u2028para sep\u2029",
                "nul \u0000 and escape \u001b[31m red",
                "");
        String marker = "exact-" + System.nanoTime();
        ArrayNode body = JSON.createArrayNode();
        for (String message : messages) {
            ObjectNode record = body.addObject().put("source", marker).put("logtype", "info").put("message", message);
            record.putObject("attributes").put("ключ 🔑", "значение \"quoted\"\n");
        }
        assertThat(server.postLogs(body.toString()).statusCode()).isEqualTo(200);
        List<TestingStoredLogs.Stored> stored = await().atMost(QUERYABLE_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> TestingStoredLogs.read(server.dataDir()).stream()
                        .filter(r -> r.source().equals(marker)).toList(), rows -> rows.size() == messages.size());
        assertThat(stored).extracting(TestingStoredLogs.Stored::message).containsExactlyInAnyOrderElementsOf(messages);
        for (TestingStoredLogs.Stored row : stored) {
            assertThat(row.messageBytes()).isEqualTo(row.message().getBytes(StandardCharsets.UTF_8));
            assertThat(row.attributes()).containsExactly(Map.entry("ключ 🔑", "значение \"quoted\"\n"));
        }
    }

    @Test
    void records_either_side_of_midnight_land_on_their_own_days() throws Exception {
        Instant midnight = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        String marker = "midnight-" + System.nanoTime();
        assertThat(server.postLogs("[{\"source\":\"" + marker + "\",\"logtype\":\"info\",\"message\":\"before\","
                + "\"timestamp\":\"" + midnight.minusMillis(1) + "\"},{\"source\":\"" + marker + "\",\"logtype\":"
                + "\"info\",\"message\":\"after\",\"timestamp\":" + midnight.toEpochMilli() + "}]").statusCode())
                .isEqualTo(200);
        List<TestingStoredLogs.Stored> stored = await().atMost(QUERYABLE_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> TestingStoredLogs.read(server.dataDir()).stream()
                        .filter(r -> r.source().equals(marker)).toList(), rows -> rows.size() == 2);
        Map<String, TestingStoredLogs.Stored> byMessage = stored.stream()
                .collect(Collectors.toMap(TestingStoredLogs.Stored::message, r -> r));
        LocalDate today = LocalDate.ofInstant(midnight, ZoneOffset.UTC);
        assertThat(byMessage.get("before").timestamp().toString()).isEqualTo(today.minusDays(1) + "T23:59:59.999Z");
        assertThat(byMessage.get("before").dt()).isEqualTo(today.minusDays(1));
        assertThat(byMessage.get("after").dt()).isEqualTo(today);
    }

    @Test
    void the_recency_window_decides_the_day_at_its_edges() throws Exception {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, Instant> sent = Map.of(
                "just-inside-old", now.minus(EventDay.MAX_AGE).plus(Duration.ofMinutes(2)),
                "just-outside-old", now.minus(EventDay.MAX_AGE).minus(Duration.ofMinutes(2)),
                "just-inside-ahead", now.plus(EventDay.MAX_AHEAD).minus(Duration.ofMinutes(2)),
                "just-outside-ahead", now.plus(EventDay.MAX_AHEAD).plus(Duration.ofMinutes(2)));
        String marker = "window-" + System.nanoTime();
        ArrayNode body = JSON.createArrayNode();
        sent.forEach((message, timestamp) -> body.addObject().put("source", marker).put("logtype", "info")
                .put("message", message).put("timestamp", timestamp.toString()));
        assertThat(server.postLogs(body.toString()).statusCode()).isEqualTo(200);
        List<TestingStoredLogs.Stored> stored = await().atMost(QUERYABLE_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> TestingStoredLogs.read(server.dataDir()).stream()
                        .filter(r -> r.source().equals(marker)).toList(), rows -> rows.size() == 4);
        for (TestingStoredLogs.Stored row : stored) {
            LocalDate receivedDay = LocalDate.ofInstant(row.receivedAt(), ZoneOffset.UTC);
            LocalDate eventDay = LocalDate.ofInstant(row.timestamp(), ZoneOffset.UTC);
            assertThat(row.timestamp()).isEqualTo(sent.get(row.message()));
            assertThat(row.dt()).as(row.message()).isEqualTo(row.message().startsWith("just-inside")
                    ? eventDay : receivedDay);
        }
    }

    @Test
    void only_json_is_accepted() throws Exception {
        byte[] body = "{\"source\":\"s\",\"logtype\":\"info\",\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(server.postLogs(body, Map.of("Content-Type", "text/plain")).statusCode()).isEqualTo(415);
        assertThat(server.postLogs(body, Map.of()).statusCode()).isEqualTo(415);
        assertThat(server.postLogs(body, Map.of("Content-Type", "application/json; charset=latin1")).statusCode())
                .isEqualTo(415);
        HttpResponse<String> ok = server.postLogs(body, Map.of("Content-Type", "Application/JSON; charset=UTF-8"));
        assertThat(ok.statusCode()).isEqualTo(200);
        HttpResponse<String> refused = server.postLogs(body, Map.of("Content-Type", "text/plain"));
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(json(refused).path("status").asInt()).isEqualTo(415);
    }

    @Test
    void a_body_of_one_mebibyte_is_accepted_and_one_byte_more_is_refused() throws Exception {
        String record = "{\"source\":\"size\",\"logtype\":\"info\",\"message\":\"m\"}";
        int limit = 1024 * 1024;
        byte[] exact = (record + " ".repeat(limit - record.length())).getBytes(StandardCharsets.UTF_8);
        byte[] over = (record + " ".repeat(limit - record.length() + 1)).getBytes(StandardCharsets.UTF_8);
        assertThat(exact).hasSize(limit);
        assertThat(server.postLogs(exact, Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(200);
        HttpResponse<String> tooLarge = server.postLogs(over, Map.of("Content-Type", "application/json"));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).path("detail").asText()).contains("1 MiB");
    }

    @Test
    void an_array_of_500_records_is_accepted_and_501_refused() throws Exception {
        String record = "{\"source\":\"batch\",\"logtype\":\"info\",\"message\":\"m\"}";
        String five00 = IntStream.range(0, 500).mapToObj(i -> record).collect(Collectors.joining(",", "[", "]"));
        String five01 = IntStream.range(0, 501).mapToObj(i -> record).collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> accepted = server.postLogs(five00);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(json(accepted).path("records").asInt()).isEqualTo(500);
        HttpResponse<String> refused = server.postLogs(five01);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("detail").asText()).contains("501");
        assertThat(server.postLogs("[]").statusCode()).isEqualTo(400);
    }

    @Test
    void other_methods_on_logs_are_refused_with_allow() throws Exception {
        HttpResponse<String> response = server.get("/logs");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void readiness_is_reported() throws Exception {
        HttpResponse<String> ready = server.get("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void the_day_directories_hold_only_parquet_files_their_rollups_and_the_manifest() throws Exception {
        assertThat(server.postLogs("{\"source\":\"files\",\"logtype\":\"info\",\"message\":\"m\"}").statusCode())
                .isEqualTo(200);
        await().atMost(QUERYABLE_WITHIN).until(() -> !storedWithMessage("m").isEmpty());
        try (var files = Files.walk(server.dataDir().resolve("logs"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .allMatch(name -> name.matches("quarry-[0-9]{16}-[0-9]{16}-[0-9a-f]{16}\\.parquet")
                            || name.matches("quarry-merged-L[0-9]{1,2}-(rest-)?[0-9a-f]{16}-[0-9a-f]{16}\\.parquet")
                            || name.matches("_quarry-[0-9a-zA-Z-]+\\.(hours|messages|terms)\\.rollup")
                            || (name.startsWith(".quarry-") && name.endsWith(".parquet.tmp"))
                            || (name.startsWith(".quarry-") && name.endsWith(".rollup.tmp"))
                            || name.equals(LiveFiles.MANIFEST) || name.equals("." + LiveFiles.MANIFEST + ".tmp"));
        }
    }
}
