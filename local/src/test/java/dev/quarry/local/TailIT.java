package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /tail} against the packaged local pipeline behind a reader key: records acknowledged after connecting
 * arrive in acknowledgment order as search rows, filtered by the search rules; a stalled client is told what it
 * missed and never holds up ingest; the number of tails is bounded; SIGTERM ends each stream cleanly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TailIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String KEY = "tail-it-reader-key";
    private static final int MAX_CLIENTS = 3;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path temporary;

    private TestingLocalServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestingLocalServer.start(temporary.resolve("data"), Map.of("QUARRY_READ_KEY", KEY,
                "QUARRY_TAIL_MAX_CLIENTS", String.valueOf(MAX_CLIENTS), "QUARRY_TAIL_KEEP_ALIVE", "1s"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private TestingTail tail(String query) throws Exception {
        TestingTail tail = TestingTail.open(server.uri("/tail" + (query.isEmpty() ? "" : "?" + query)), KEY);
        assertThat(tail.status()).isEqualTo(200);
        assertThat(tail.response().headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(tail.response().headers().firstValue("Cache-Control")).hasValue("no-store");
        return tail;
    }

    private static ObjectNode record(String source, String logtype, String message) {
        ObjectNode record = JSON.createObjectNode();
        record.put("source", source);
        record.put("logtype", logtype);
        record.put("message", message);
        return record;
    }

    private void post(List<ObjectNode> records) throws Exception {
        ArrayNode body = JSON.createArrayNode();
        body.addAll(records);
        HttpResponse<String> answer = server.postLogs(body.toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static JsonNode row(TestingTail.Event event) throws Exception {
        assertThat(event.type()).as(event.data()).isEqualTo("record");
        return JSON.readTree(event.data());
    }

    @Test
    void records_acknowledged_after_connecting_arrive_in_acknowledgment_order_as_search_rows() throws Exception {
        post(List.of(record("ordering", "info", "before the tail")));
        try (TestingTail tail = tail("source=ordering").reading()) {
            assertThat(tail.next(WAIT).type()).as("the first comment").isEqualTo(":");
            List<String> sent = new ArrayList<>();
            for (int request = 0; request < 40; request++) {
                List<ObjectNode> records = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String message = "line " + request + "." + i;
                    ObjectNode record = record("ordering", "info", message);
                    record.put("timestamp", "2026-12-02T10:15:30.12" + i + "Z");
                    record.putObject("attributes").put("request", String.valueOf(request));
                    records.add(record);
                    sent.add(message);
                }
                post(records);
            }
            List<String> received = new ArrayList<>();
            JsonNode first = null;
            while (received.size() < sent.size()) {
                JsonNode row = row(tail.nextEvent(WAIT));
                first = first == null ? row : first;
                received.add(row.get("message").asText());
            }
            assertThat(received).isEqualTo(sent);
            // The row as a search gives it; the day is the day received (the timestamp is outside the recency window
            // of a test that runs later than two weeks after 2026-12-02; within it, its own day).
            assertThat(first.properties().stream().map(Map.Entry::getKey).toList())
                    .containsExactly("timestamp", "dt", "source", "logtype", "message", "attributes");
            assertThat(first.get("timestamp").asText()).isEqualTo("2026-12-02T10:15:30.120Z");
            assertThat(first.get("dt").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(first.get("attributes")).isEqualTo(JSON.readTree("{\"request\":\"0\"}"));
        }
    }

    @Test
    void only_records_matching_source_logtype_q_and_every_attribute_are_sent() throws Exception {
        try (TestingTail tail = tail("source=filters&logtype=error&q=DISK+50%25_&attr.request_id=r-7").reading()) {
            ObjectNode match = record("filters", "error", "the disk 50%_ full");
            match.putObject("attributes").put("request_id", "r-7").put("pod", "api-1");
            ObjectNode otherAttribute = record("filters", "error", "the disk 50%_ full");
            otherAttribute.putObject("attributes").put("request_id", "r-8");
            ObjectNode wildcard = record("filters", "error", "the disk 50xy full");
            wildcard.putObject("attributes").put("request_id", "r-7");
            ObjectNode otherLogtype = record("filters", "info", "DISK 50%_");
            otherLogtype.putObject("attributes").put("request_id", "r-7");
            ObjectNode otherSource = record("filters-2", "error", "disk 50%_");
            otherSource.putObject("attributes").put("request_id", "r-7");
            ObjectNode upper = record("filters", "error", "DISK 50%_ AGAIN");
            upper.putObject("attributes").put("request_id", "r-7");
            post(List.of(otherAttribute, match, wildcard, otherLogtype, otherSource, upper));
            assertThat(row(tail.nextEvent(WAIT)).get("message").asText()).isEqualTo("the disk 50%_ full");
            assertThat(row(tail.nextEvent(WAIT)).get("message").asText()).isEqualTo("DISK 50%_ AGAIN");
            post(List.of(record("filters", "error", "end"), upper));
            assertThat(row(tail.nextEvent(WAIT)).get("message").asText()).as("nothing else in between")
                    .isEqualTo("DISK 50%_ AGAIN");
        }
    }

    @Test
    void a_quiet_stream_gets_keep_alive_comments() throws Exception {
        try (TestingTail tail = tail("source=nobody").reading()) {
            assertThat(tail.next(WAIT).data()).startsWith("connected");
            assertThat(tail.next(WAIT)).isEqualTo(new TestingTail.Event(":", "keep-alive"));
            assertThat(tail.next(WAIT)).isEqualTo(new TestingTail.Event(":", "keep-alive"));
        }
    }

    @Test
    void a_reader_key_is_needed_in_the_authorization_header_and_bad_parameters_are_named() throws Exception {
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(server.uri("/tail")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> inQuery = HTTP.send(HttpRequest.newBuilder(server.uri("/tail?key=" + KEY)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(inQuery.statusCode()).as("?key= is not accepted").isEqualTo(401);
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(server.uri("/tail"))
                .header("Authorization", "Bearer " + KEY + "x").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(server.uri("/tail?logtype=Error&from=2026-12-01"))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(bad.body());
        assertThat(problem.get("errors").findValuesAsText("parameter")).containsExactlyInAnyOrder("logtype", "from");

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(server.uri("/tail"))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void beyond_the_maximum_a_tail_is_refused_with_503_until_one_closes() throws Exception {
        List<TestingTail> open = new ArrayList<>();
        try {
            open.add(awaitTail());
            while (open.size() < MAX_CLIENTS) {
                open.add(tail(""));
            }
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(server.uri("/tail"))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("QUARRY_TAIL_MAX_CLIENTS");
            open.remove(0).close();
            open.add(awaitTail());
        } finally {
            open.forEach(TestingTail::close);
        }
    }

    /** A tail, once a place is free (a closed tail's place is given back when the server sees the close). */
    private TestingTail awaitTail() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            TestingTail tail = TestingTail.open(server.uri("/tail"), KEY);
            if (tail.status() == 200) {
                return tail;
            }
            tail.close();
            assertThat(System.nanoTime()).as("a place is given back").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void a_stalled_client_is_told_what_it_missed_and_never_holds_up_ingest() throws Exception {
        int requests = 200;
        int perRequest = 500;
        String padding = "x".repeat(200);
        try (TestingTail stalled = tail("source=lag")) {
            // Nothing reads this tail while 100,000 records (over 30 MB of events) are acknowledged: more than the
            // socket buffers and the 10,000 records the server keeps for it.
            // One request at a time, so that the acknowledgment order is the order sent.
            long started = System.nanoTime();
            for (int r = 0; r < requests; r++) {
                List<ObjectNode> records = new ArrayList<>();
                for (int i = 0; i < perRequest; i++) {
                    records.add(record("lag", "info", (r * perRequest + i) + " " + padding));
                }
                post(records);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("ingest goes on while the tail is stalled")
                    .isLessThan(Duration.ofSeconds(60));
            long expected = 0;
            long delivered = 0;
            long skipped = 0;
            int lagged = 0;
            while (expected < (long) requests * perRequest) {
                TestingTail.Event event = stalled.nextEvent(WAIT);
                if (event.type().equals("lagged")) {
                    long n = JSON.readTree(event.data()).get("skipped").asLong();
                    assertThat(n).isPositive();
                    expected += n;
                    skipped += n;
                    lagged++;
                } else {
                    String message = row(event).get("message").asText();
                    assertThat(Long.parseLong(message.substring(0, message.indexOf(' '))))
                            .as("records in order, the skipped ones where the lagged event is").isEqualTo(expected);
                    expected++;
                    delivered++;
                }
            }
            assertThat(lagged).isPositive();
            assertThat(skipped).isGreaterThan(50_000);
            assertThat(delivered + skipped).isEqualTo((long) requests * perRequest);

            // ... and goes on.
            post(List.of(record("lag", "info", "after")));
            assertThat(row(stalled.nextEvent(WAIT)).get("message").asText()).isEqualTo("after");
        }
    }

    @Test
    void sigterm_ends_each_stream_cleanly_after_the_records_acknowledged_before_it() throws Exception {
        try (TestingLocalServer own = TestingLocalServer.start(temporary.resolve("sigterm"))) {
            TestingTail first = TestingTail.open(own.uri("/tail"), null).reading();
            TestingTail second = TestingTail.open(own.uri("/tail?logtype=error"), null).reading();
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            HttpResponse<String> posted = own.postLogs("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"last\"}");
            assertThat(posted.statusCode()).isEqualTo(200);
            assertThat(own.terminate()).isZero();
            for (TestingTail tail : List.of(first, second)) {
                assertThat(row(tail.nextEvent(WAIT)).get("message").asText()).isEqualTo("last");
                assertThat(tail.next(WAIT)).isEqualTo(new TestingTail.Event(":", "the server is stopping"));
                assertThat(tail.next(WAIT)).as("the stream's end, not a failed connection").isEqualTo(TestingTail.END);
                tail.close();
            }
            assertThat(own.log()).contains("Ended 2 tail stream(s)").doesNotContain("WARN").doesNotContain("ERROR");
        }
    }

    @Test
    void the_tail_is_not_a_static_file_and_unknown_paths_stay_404() throws Exception {
        HttpResponse<String> below = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri("/tail/x").toString()))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(below.statusCode()).isEqualTo(404);
        assertThat(below.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}
