package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.local.wal.WalCodec;
import dev.quarry.record.RecordParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The faults of issue 13, each against the packaged server started as a user starts it. */
class ReliabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temporary;

    /** Finding 1: two servers on one directory interleaved their write-ahead logs and lost acknowledged records. */
    @Test
    void a_second_server_on_the_same_data_directory_exits_naming_the_holder() throws Exception {
        Path dataDir = temporary.resolve("data");
        try (TestingLocalServer first = TestingLocalServer.start(dataDir)) {
            TestingLocalServer.Exited second = TestingLocalServer.refusedStart(dataDir, temporary.resolve("second.log"),
                    Map.of());
            assertThat(second.log()).contains(dataDir.toString()).contains("PID " + first.pid());

            assertThat(first.postLogs("{\"source\":\"lock\",\"logtype\":\"info\",\"message\":\"kept\"}").statusCode())
                    .isEqualTo(200);
            assertThat(first.terminate()).isZero();
        }
        assertThat(TestingStoredLogs.messages(dataDir)).containsExactly("kept");
    }

    /** Finding 1: a port in use ended the start only after recovery had rewritten the data directory. */
    @Test
    void a_port_in_use_ends_the_start_before_recovery_touches_the_data() throws Exception {
        Path dataDir = temporary.resolve("busy");
        Path segment = dataDir.resolve("wal/segment-0000000000000001.ndjson");
        Files.createDirectories(segment.getParent());
        byte[] request = WalCodec.encode(RecordParser.create().parse(
                "{\"source\":\"port\",\"logtype\":\"info\",\"message\":\"waiting\"}".getBytes(StandardCharsets.UTF_8),
                Instant.now()));
        Files.write(segment, request);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TestingLocalServer.Exited exited = TestingLocalServer.runUntilExit(dataDir, temporary.resolve("port.log"),
                    taken.getLocalPort(), Map.of());
            assertThat(exited.status()).isNotZero();
            assertThat(exited.log()).contains("Port " + taken.getLocalPort()).doesNotContain("Recover");
            assertThat(exited.log()).contains("choose another with QUARKUS_HTTP_PORT").doesNotContain("kill -9");
            assertThat(exited.log().lines().filter(line -> line.contains("ERROR") || line.contains("WARN")))
                    .as(exited.log()).hasSize(1);
        }
        assertThat(Files.readAllBytes(segment)).isEqualTo(request);
        assertThat(dataDir.resolve("logs")).doesNotExist();
    }

    /** Finding 2: a read-only data directory reported ready while every POST failed. */
    @Test
    void a_read_only_data_directory_refuses_to_start_with_one_line() throws Exception {
        Path dataDir = temporary.resolve("read-only");
        try (TestingFileSystems.Mount mount = TestingFileSystems.readOnly(dataDir)) {
            TestingLocalServer.Exited exited = TestingLocalServer.refusedStart(dataDir, temporary.resolve("ro.log"),
                    Map.of());
            assertThat(exited.log()).contains("Cannot use the data directory " + dataDir)
                    .containsAnyOf("Read-only file system", "Permission denied");
        }
    }

    /**
     * Finding 2: readiness stayed up while every POST failed. It follows the write-ahead log: down while appends
     * fail, up again once one succeeds; and the client gets a fixed sentence, not the server's errno text.
     */
    @Test
    void readiness_follows_the_disk_down_while_it_is_full_and_up_once_a_write_succeeds() throws Exception {
        Path dataDir = temporary.resolve("filling");
        try (TestingFileSystems.Mount mount = TestingFileSystems.small(dataDir, "16m");
                TestingLocalServer server = TestingLocalServer.start(dataDir,
                        TestingLocalServer.env("QUARRY_FLUSH_MAX_AGE", "1h"))) {
            TestingFileSystems.fill(dataDir);
            HttpResponse<String> refused = server.postLogs("{\"source\":\"d\",\"logtype\":\"info\",\"message\":\"no\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(refused.body()).contains("urn:quarry:problem:not-durable")
                    .doesNotContain("No space left").doesNotContain(dataDir.toString());
            assertThat(server.get("/q/health/ready").statusCode()).isEqualTo(503);

            Files.delete(dataDir.resolve("filler"));
            assertThat(server.postLogs("{\"source\":\"d\",\"logtype\":\"info\",\"message\":\"yes\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(server.get("/q/health/ready").statusCode()).isEqualTo(200);
            assertThat(server.terminate()).isZero();
            assertThat(TestingStoredLogs.messages(dataDir)).containsExactly("yes");
        }
    }

    /** Finding 4: a start on a full disk ended in a stack trace. */
    @Test
    void a_start_on_a_full_disk_says_so_in_one_line() throws Exception {
        Path dataDir = temporary.resolve("full");
        try (TestingFileSystems.Mount mount = TestingFileSystems.full(dataDir)) {
            TestingLocalServer.Exited exited = TestingLocalServer.refusedStart(dataDir, temporary.resolve("full.log"),
                    Map.of());
            assertThat(exited.log()).contains("No space left on device");
        }
    }

    /**
     * Finding 3: on SIGTERM under load, records were stored whose clients got a connection reset (so a retry
     * duplicated them). Every request the server read must get its real answer: what is stored is exactly what
     * was acknowledged.
     */
    @Test
    void sigterm_under_load_answers_every_request_it_read() throws Exception {
        Path dataDir = temporary.resolve("term");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        int status;
        try (TestingLocalServer server = TestingLocalServer.start(dataDir,
                TestingLocalServer.env("QUARRY_FLUSH_MAX_AGE", "1h"))) {
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(12);
            for (int client = 0; client < 12; client++) {
                int id = client;
                clients.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        String prefix = "c" + id + "-q" + n + "-";
                        String body = IntStream.range(0, 20).mapToObj(i -> "{\"source\":\"term\",\"logtype\":\"info\","
                                + "\"message\":\"" + prefix + i + "\"}").collect(Collectors.joining(",", "[", "]"));
                        try {
                            HttpResponse<String> response = server.postLogs(body);
                            (response.statusCode() == 200 ? acknowledged
                                    : response.statusCode() == 503 ? refused : failed).add(prefix);
                        } catch (IOException e) {
                            failed.add(prefix);
                            if (e instanceof java.net.ConnectException) {
                                return null; // the server is gone
                            }
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(1_500);
            status = server.terminate();
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(status).isZero();
        assertThat(acknowledged).hasSizeGreaterThan(20);
        Set<String> stored = TestingStoredLogs.read(dataDir).stream()
                .map(row -> row.message().substring(0, row.message().lastIndexOf('-') + 1))
                .collect(Collectors.toSet());
        assertThat(stored).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(refused).doesNotContainAnyElementsOf(stored);
        assertThat(failed).doesNotContainAnyElementsOf(stored);
    }

    /** Finding 1: a shutdown whose flush failed exited 0, as if everything were in Parquet. */
    @Test
    void a_failed_shutdown_flush_exits_non_zero_and_keeps_the_records_for_the_next_start() throws Exception {
        Path dataDir = temporary.resolve("unflushed");
        Path logs = dataDir.resolve("logs");
        Path aside = temporary.resolve("logs-aside");
        try (TestingLocalServer server = TestingLocalServer.start(dataDir,
                TestingLocalServer.env("QUARRY_FLUSH_MAX_AGE", "1h"))) {
            assertThat(server.postLogs("{\"source\":\"f\",\"logtype\":\"info\",\"message\":\"kept\"}")
                    .statusCode()).isEqualTo(200);
            // The day directory cannot be created where a file stands: the shutdown flush fails.
            Files.move(logs, aside);
            Files.writeString(logs, "not a directory");
            assertThat(server.terminate()).isEqualTo(1);
            assertThat(server.log()).contains("Cannot write buffered records to Parquet on shutdown")
                    .doesNotContain("\tat ");
        }
        Files.delete(logs);
        Files.move(aside, logs);
        try (TestingLocalServer again = TestingLocalServer.start(dataDir)) {
            assertThat(again.terminate()).isZero();
        }
        assertThat(TestingStoredLogs.messages(dataDir)).containsExactly("kept");
    }

    /** Finding 8: a client that stopped sending mid-request kept its connection for 30 minutes. */
    @Test
    void a_stalled_connection_is_closed_after_the_idle_timeout() throws Exception {
        try (TestingLocalServer server = TestingLocalServer.start(temporary.resolve("idle"),
                TestingLocalServer.env("QUARKUS_HTTP_IDLE_TIMEOUT", "1s"));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write(("POST /logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"source\":").getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            int read;
            try {
                while ((read = in.read()) >= 0) {
                    // whatever the server says before it closes
                }
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 8_000L);
        }
    }

    /** Finding 5: the HTTP layer's own answers had empty or HTML bodies. */
    @Test
    void the_http_layer_answers_with_problem_json() throws Exception {
        try (TestingLocalServer server = TestingLocalServer.start(temporary.resolve("edges"))) {
            List<String> cases = List.of(
                    "GET /summary/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n|404",
                    "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n|404",
                    "DELETE /logs HTTP/1.1\r\nHost: x\r\n\r\n|405",
                    "POST /logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n"
                            + "|413",
                    "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n|414",
                    "GET /summary/error-counts HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(30_000) + "\r\n\r\n|431");
            for (String c : cases) {
                String request = c.substring(0, c.lastIndexOf('|'));
                int expected = Integer.parseInt(c.substring(c.lastIndexOf('|') + 1));
                String response = exchange(server.port(), request);
                assertThat(response).as(request.lines().findFirst().orElseThrow())
                        .startsWith("HTTP/1.1 " + expected + " ")
                        .containsIgnoringCase("content-type: application/problem+json")
                        .contains("\"status\":" + expected);
            }
        }
    }

    /**
     * Finding 5, the residue: what Netty cannot parse (framing, a request line or headers beyond its limits) and
     * what Quarkus refused before any route (a target that is not a valid URI) had empty bodies. Each is answered as
     * problem JSON naming what was wrong; a summary request gets the core's answer, as the Lambda function gives it.
     */
    @Test
    void requests_the_http_layer_cannot_read_get_problem_json_naming_what_was_wrong() throws Exception {
        String post = "POST /logs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n";
        String get = " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        record Case(String request, int status, String member, String value) {
        }
        List<Case> cases = List.of(
                new Case(post + "Content-Length: abc\r\n\r\n{}", 400, "header", "Content-Length"),
                new Case(post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, "header",
                        "Content-Length"),
                new Case(post + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400,
                        "header", "Content-Length"),
                new Case(post + "Transfer-Encoding: chunked, gzip\r\n\r\n{}", 400, "header", "Transfer-Encoding"),
                // Beyond Netty's own limits (64 KiB), not only HttpEdges's lower ones; sent without an end of line,
                // so that the server has read all of it when it answers (no reset swallows the answer).
                new Case("GET /" + "a".repeat(70_000), 414, null, null),
                new Case("GET /summary/error-counts HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(70_000), 431, null,
                        null),
                new Case("GET /summary/volume-by-day?source=%ZZ" + get, 400, "parameter", "source"),
                new Case("GET /summary/volume-by-day?source=%2" + get, 400, "parameter", "source"),
                new Case("GET /summary/%zz" + get, 404, null, null),
                new Case("GET /logs/%zz" + get, 400, null, null),
                new Case("GET /q/health?x=%ZZ" + get, 400, null, null));
        try (TestingLocalServer server = TestingLocalServer.start(temporary.resolve("framing"))) {
            SoftAssertions softly = new SoftAssertions();
            for (Case c : cases) {
                String line = c.request().lines().findFirst().orElseThrow();
                String label = line.length() > 80 ? line.substring(0, 80) + "…" : line;
                String response = exchange(server.port(), c.request());
                softly.assertThat(response).as(label).startsWith("HTTP/1.").contains(" " + c.status() + " ")
                        .containsIgnoringCase("content-type: application/problem+json");
                int end = response.indexOf("\r\n\r\n");
                String head = end < 0 ? response : response.substring(0, end);
                String body = end < 0 ? "" : response.substring(end + 4);
                softly.assertThat(head.lines().filter(h -> h.regionMatches(true, 0, "content-length:", 0, 15))
                        .map(h -> Integer.parseInt(h.substring(15).strip())))
                        .as(label + ": content-length").containsExactly(body.getBytes(StandardCharsets.UTF_8).length);
                if (body.isEmpty()) {
                    softly.fail(label + ": no body");
                    continue;
                }
                JsonNode problem = JSON.readTree(body);
                softly.assertThat(problem.path("status").asInt()).as(label).isEqualTo(c.status());
                softly.assertThat(problem.path("type").asText()).as(label).startsWith("urn:quarry:problem:");
                softly.assertThat(problem.path("detail").asText()).as(label).isNotBlank();
                if ("header".equals(c.member())) {
                    softly.assertThat(problem.path("header").asText()).as(label + ": " + body).isEqualTo(c.value());
                } else if ("parameter".equals(c.member())) {
                    softly.assertThat(problem.path("errors").path(0).path("parameter").asText())
                            .as(label + ": " + body).isEqualTo(c.value());
                }
            }
            softly.assertThat(server.log()).doesNotContain("\tat ").doesNotContain("ERROR").doesNotContain("WARN");
            softly.assertAll();
        }
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buffer = new byte[8192];
            StringBuilder response = new StringBuilder();
            InputStream in = socket.getInputStream();
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    response.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (response.indexOf("\r\n\r\n") >= 0 && response.toString().endsWith("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketException closed) {
                // the server closes after an error answer; what was read is the answer
            }
            return response.toString();
        }
    }
}
