package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping the packaged pipeline: SIGTERM flushes and exits 0; the API key is enforced. */
class LifecycleIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temporary;

    @Test
    void sigterm_writes_everything_buffered_to_parquet_and_exits_zero() throws Exception {
        Path dataDir = temporary.resolve("data");
        try (TestingLocalServer server = TestingLocalServer.start(dataDir,
                TestingLocalServer.env("QUARRY_FLUSH_MAX_AGE", "1h"))) {
            assertThat(server.postLogs("[{\"source\":\"term\",\"logtype\":\"info\",\"message\":\"one\"},"
                    + "{\"source\":\"term\",\"logtype\":\"info\",\"message\":\"two\"}]").statusCode()).isEqualTo(200);
            // With an hour's flush age nothing is in Parquet before the signal.
            assertThat(TestingStoredLogs.read(dataDir)).isEmpty();
            assertThat(server.terminate()).isZero();
        }
        assertThat(TestingStoredLogs.read(dataDir)).extracting(TestingStoredLogs.Stored::message)
                .containsExactlyInAnyOrder("one", "two");
        try (var wal = Files.list(dataDir.resolve("wal"))) {
            assertThat(wal).isEmpty();
        }

        // A second life on the same data adds to what the first one stored and replaces nothing.
        try (TestingLocalServer again = TestingLocalServer.start(dataDir,
                TestingLocalServer.env("QUARRY_FLUSH_MAX_AGE", "1h"))) {
            assertThat(again.postLogs("{\"source\":\"term\",\"logtype\":\"info\",\"message\":\"three\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(again.terminate()).isZero();
        }
        assertThat(TestingStoredLogs.read(dataDir)).extracting(TestingStoredLogs.Stored::message)
                .containsExactlyInAnyOrder("one", "two", "three");
    }

    @Test
    void with_an_api_key_set_posts_need_it() throws Exception {
        try (TestingLocalServer server = TestingLocalServer.start(temporary.resolve("keyed"),
                TestingLocalServer.env("QUARRY_API_KEY", "s3cret-key"))) {
            byte[] body = "{\"source\":\"k\",\"logtype\":\"info\",\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> none = server.postLogs(body, Map.of("Content-Type", "application/json"));
            assertThat(none.statusCode()).isEqualTo(403);
            assertThat(none.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(server.postLogs(body, Map.of("Content-Type", "application/json", "x-api-key", "wrong"))
                    .statusCode()).isEqualTo(403);
            assertThat(server.postLogs(body, Map.of("Content-Type", "application/json", "x-api-key", "s3cret-key"))
                    .statusCode()).isEqualTo(200);
            assertThat(server.get("/q/health/ready").statusCode()).isEqualTo(200);

            // The same key guards OTLP, refused in its own format (google.rpc.Status, PERMISSION_DENIED = 7).
            byte[] export = "{\"resourceLogs\":[]}".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> otlp = HTTP.send(HttpRequest.newBuilder(server.uri("/v1/logs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(export))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(otlp.statusCode()).isEqualTo(403);
            assertThat(otlp.body()).isEqualTo("{\"code\":7,\"message\":\"A valid API key is required in the"
                    + " x-api-key header\"}");
            assertThat(HTTP.send(HttpRequest.newBuilder(server.uri("/v1/logs")).header("Content-Type",
                    "application/json").header("x-api-key", "s3cret-key").POST(HttpRequest.BodyPublishers
                    .ofByteArray(export)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            // Only a POST needs the key: another method is still told which one the path takes.
            assertThat(server.get("/logs").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void the_server_listens_on_loopback_only_by_default() throws Exception {
        try (TestingLocalServer server = TestingLocalServer.start(temporary.resolve("loopback"))) {
            // Quarkus prints the line once every startup observer is done, which may be just after readiness.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> server.log().contains("Listening on: "));
            assertThat(server.log()).contains("Listening on: http://127.0.0.1:");
        }
    }

    @Test
    void the_start_prints_the_ingest_dashboard_and_metrics_addresses_in_one_line() throws Exception {
        try (TestingLocalServer server = TestingLocalServer.start(temporary.resolve("addresses"))) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(server.log().lines().filter(line -> line.contains("Ready: "))).singleElement().asString()
                    .contains(base + "/logs").contains(base + "/v1/logs").contains(base + "/,")
                    .contains(base + "/q/metrics");
        }
    }

    @Test
    void the_start_clears_what_a_killed_server_spilled_and_metrics_show_each_duckdb_database() throws Exception {
        Path dataDir = temporary.resolve("spill");
        Path leftover = dataDir.resolve("spill/merge/duckdb_temp_storage_DEFAULT-0.tmp");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "a killed merge's spill");
        try (TestingLocalServer server = TestingLocalServer.start(dataDir)) {
            assertThat(leftover).doesNotExist();
            String metrics = server.get("/q/metrics").body();
            for (String database : java.util.List.of("query", "flush", "merge")) {
                assertThat(metrics).containsPattern("quarry_duckdb_memory_bytes\\{database=\"" + database
                        + "\"\\} [0-9.E]+\n");
                assertThat(metrics).containsPattern("quarry_duckdb_temporary_bytes\\{database=\"" + database
                        + "\"\\} [0-9.E]+\n");
            }
        }
    }
}
