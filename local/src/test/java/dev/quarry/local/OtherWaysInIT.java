package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.local.http.IngestRoute;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The packaged server, spoken to as shippers do: gzip bodies and OTLP/HTTP (the real OpenTelemetry SDK exporter). */
class OtherWaysInIT extends TestingServerPerClass {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri(path)).headers(headers).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_gzip_batch_is_stored_whole() throws Exception {
        String message = "gzip batch " + System.nanoTime();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"source\":\"gz\",\"logtype\":\"info\",\"message\":\"")
                    .append(message).append("\"}");
        }
        HttpResponse<String> response = server.postLogs(gzip(batch.append("]").toString()
                .getBytes(StandardCharsets.UTF_8)), Map.of("Content-Type", "application/json",
                "Content-Encoding", "gzip"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("records").asInt()).isEqualTo(500);
        awaitStored(message, 500);
    }

    @Test
    void a_gzip_body_inflating_past_the_limit_is_413_problem_json_and_brotli_is_415() throws Exception {
        byte[] big = new byte[IngestRoute.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> tooLarge = server.postLogs(gzip(big), Map.of("Content-Type", "application/json",
                "Content-Encoding", "gzip"));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(tooLarge.body()).get("detail").asText()).contains("after inflating");

        HttpResponse<String> brotli = server.postLogs("{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Content-Encoding", "br"));
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(brotli.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(brotli.body()).get("detail").asText()).contains("not br");
    }

    @Test
    void the_opentelemetry_sdk_exporter_lands_records_that_read_back_mapped() throws Exception {
        String message = "checkout failed " + System.nanoTime();
        OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
                .setEndpoint(server.uri("/v1/logs").toString()).setCompression("gzip").build();
        SpanContext span = SpanContext.create("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                TraceFlags.getSampled(), TraceState.getDefault());
        Instant when = Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "checkout"))))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
            Logger logger = provider.get("quarry-test");
            for (int i = 0; i < 3; i++) {
                logger.logRecordBuilder().setSeverity(Severity.ERROR).setSeverityText("ERROR").setBody(message)
                        .setTimestamp(when).setContext(Span.wrap(span).storeInContext(Context.root()))
                        .setAttribute(AttributeKey.longKey("attempt"), (long) i).emit();
            }
            CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).as(server.log()).isTrue();
        }
        List<TestingStoredLogs.Stored> stored = awaitStored(message, 3);
        assertThat(stored).extracting(TestingStoredLogs.Stored::source).containsOnly("checkout");
        assertThat(stored).extracting(TestingStoredLogs.Stored::logtype).containsOnly("error");
        assertThat(stored).extracting(TestingStoredLogs.Stored::timestamp).containsOnly(when.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(stored).extracting(r -> r.attributes().get("attempt")).containsExactlyInAnyOrder("0", "1", "2");
        assertThat(stored.get(0).attributes()).containsEntry("trace_id", "5b8efff798038103d269b633813fc60c")
                .containsEntry("span_id", "eee19b7ec3c1b174").containsEntry("telemetry.sdk.language", "java");
    }

    @Test
    void otlp_json_is_taken_with_partial_success_and_errors_are_google_rpc_status() throws Exception {
        String message = "otlp json " + System.nanoTime();
        String body = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"api\"}}]},\"scopeLogs\":[{\"logRecords\":["
                + "{\"severityNumber\":9,\"body\":{\"stringValue\":\"" + message + "\"}},"
                + "{\"timeUnixNano\":\"1\",\"body\":{\"stringValue\":\"1970\"}}]}]}]}";
        HttpResponse<String> partial = post("/v1/logs", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        assertThat(partial.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode success = JSON.readTree(partial.body()).get("partialSuccess");
        assertThat(success.get("rejectedLogRecords").asLong()).isEqualTo(1);
        assertThat(success.get("errorMessage").asText()).contains("timestamp");
        assertThat(awaitStored(message, 1).get(0).source()).isEqualTo("api");

        HttpResponse<String> none = post("/v1/logs", body.replace("\"severityNumber\":9,", "\"timeUnixNano\":\"2\",")
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(none.statusCode()).isEqualTo(400);
        JsonNode status = JSON.readTree(none.body());
        assertThat(status.get("code").asInt()).isEqualTo(3);
        assertThat(status.get("message").asText()).contains("2 rejected");

        HttpResponse<byte[]> garbage = HTTP.send(HttpRequest.newBuilder(server.uri("/v1/logs"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xFF, 1, 2})).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.headers().firstValue("content-type")).hasValue("application/x-protobuf");
        // google.rpc.Status: field 1 (code) = 3, then field 2 (message).
        assertThat(garbage.body()[0]).isEqualTo((byte) 0x08);
        assertThat(garbage.body()[1]).isEqualTo((byte) 3);

        HttpResponse<String> text = post("/v1/logs", "x".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(text.body()).get("message").asText()).contains("application/x-protobuf");

        HttpResponse<byte[]> get = HTTP.send(HttpRequest.newBuilder(server.uri("/v1/logs")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        assertThat(get.headers().firstValue("content-type")).hasValue("application/x-protobuf");
        assertThat(get.body()[1]).isEqualTo((byte) 3);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).endsWith("GET is not allowed on /v1/logs; use POST");
    }

    private String sql(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash",
                TestingLocalServer.repository().resolve("scripts/sql").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("QUARRY_DATA_DIR", server.dataDir().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void scripts_sql_counts_what_landed_while_the_server_runs_and_cannot_write() throws Exception {
        String message = "sql count " + System.nanoTime();
        assertThat(server.postLogs("[{\"source\":\"sql\",\"logtype\":\"warn\",\"message\":\"" + message
                + "\"},{\"source\":\"sql\",\"logtype\":\"warn\",\"message\":\"" + message + "\"}]").statusCode())
                .isEqualTo(200);
        awaitStored(message, 2);
        assertThat(sql("--format", "csv", "SELECT count(*) AS n, min(typeof(dt)) AS t FROM logs WHERE message = '"
                + message + "'")).isEqualTo("n,t\n2,VARCHAR\n");
        assertThat(sql("--format", "json", "SELECT source FROM logs WHERE message = '" + message + "' LIMIT 1"))
                .contains("{\"source\":\"sql\"}");
        Path copy = server.dataDir().resolve("copy.csv");
        ProcessBuilder builder = new ProcessBuilder("bash", TestingLocalServer.repository().resolve("scripts/sql")
                .toString(), "COPY (SELECT * FROM logs) TO '" + copy + "'").redirectErrorStream(true);
        builder.environment().put("QUARRY_DATA_DIR", server.dataDir().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("Permission Error").doesNotContain("\tat ");
        assertThat(copy).doesNotExist();
    }

    /** design.md: the syslog-ng recipe, run by syslog-ng itself (.ci/run installs syslog-ng-core and -mod-http). */
    @Test
    void the_syslog_ng_recipe_lands_lines_that_summaries_and_scripts_sql_count() throws Exception {
        Path work = server.dataDir().resolveSibling("syslog-ng");
        java.nio.file.Files.createDirectories(work);
        Path tailed = java.nio.file.Files.writeString(work.resolve("app.log"), "");
        Path recipe = TestingLocalServer.repository().resolve("examples/shippers/syslog-ng.conf");
        ProcessBuilder builder = new ProcessBuilder("syslog-ng", "-F", "-f", recipe.toString(),
                "-R", work.resolve("persist").toString(), "-p", work.resolve("pid").toString(),
                "-c", work.resolve("control").toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("syslog-ng.out").toFile());
        builder.environment().put("QUARRY_TAIL_FILE", tailed.toString());
        builder.environment().put("QUARRY_URL", server.uri("/logs").toString());
        Process syslogNg;
        try {
            syslogNg = builder.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("syslog-ng is needed: apt-get install -y syslog-ng-core syslog-ng-mod-http", e);
        }
        try {
            String run = "syslog-ng-" + System.nanoTime();
            Thread.sleep(1500);
            java.nio.file.Files.writeString(tailed, "2026-12-01 ERROR payment " + run + " declined \"card\"\n"
                    + "WARNING disk 80% " + run + "\n"
                    + "all good " + run + " source=" + run + "\n"
                    + "connected " + run + "\n", java.nio.file.StandardOpenOption.APPEND);
            List<TestingStoredLogs.Stored> stored = await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> TestingStoredLogs.read(server.dataDir()).stream()
                            .filter(r -> r.message().contains(run)).toList(), rows -> rows.size() == 4);
            assertThat(stored).as(java.nio.file.Files.readString(work.resolve("syslog-ng.out")))
                    .extracting(r -> r.source() + " " + r.logtype() + " " + r.message().split(" ")[0])
                    .containsExactlyInAnyOrder("syslog-ng error 2026-12-01", "syslog-ng warn WARNING",
                            run + " info all", "syslog-ng info connected");
            assertThat(stored).allSatisfy(r -> assertThat(r.timestamp())
                    .isBetween(Instant.now().minusSeconds(60), r.receivedAt()));
            assertThat(sql("--format", "csv", "SELECT count(*) AS n FROM logs WHERE message LIKE '%" + run + "%'"))
                    .isEqualTo("n\n4\n");
            String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
            JsonNode summary = JSON.readTree(server.get("/summary/events-by-source?from=" + day + "&to=" + day
                    + "&source=syslog-ng").body());
            JsonNode row = summary.get("rows").get(0);
            assertThat(row.get("events").asLong()).as("only this test sends as syslog-ng").isEqualTo(3);
            assertThat(JSON.readTree(server.get("/summary/events-by-source?from=" + day + "&to=" + day + "&source="
                    + run).body()).get("rows").get(0).get("events").asLong()).isEqualTo(1);
        } finally {
            syslogNg.destroy();
            syslogNg.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * What the Fluent Bit and Vector recipes send, in their documented output formats (Fluent Bit's http output,
     * Format json with json_date_format epoch_ms; Vector's http sink, json codec), gzip as both are set to.
     */
    @Test
    void the_fluent_bit_and_vector_recipes_output_is_taken() throws Exception {
        String run = "replay " + System.nanoTime();
        long millis = Instant.now().toEpochMilli();
        String fluentBit = "[{\"timestamp\":" + millis + ",\"message\":\"ERROR " + run + "\",\"source\":\"fluent-bit\","
                + "\"logtype\":\"error\"},{\"timestamp\":" + millis + ",\"message\":\"ok " + run + "\","
                + "\"source\":\"fluent-bit\",\"logtype\":\"info\"}]";
        String vector = "[{\"logtype\":\"warn\",\"message\":\"WARN " + run + "\",\"source\":\"vector\","
                + "\"timestamp\":\"" + Instant.ofEpochMilli(millis) + "\"}]";
        for (String body : List.of(fluentBit, vector)) {
            HttpResponse<String> response = server.postLogs(gzip(body.getBytes(StandardCharsets.UTF_8)),
                    Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        List<TestingStoredLogs.Stored> stored = await().atMost(Duration.ofSeconds(10))
                .until(() -> TestingStoredLogs.read(server.dataDir()).stream()
                        .filter(r -> r.message().endsWith(run)).toList(), rows -> rows.size() == 3);
        assertThat(stored).extracting(r -> r.source() + " " + r.logtype())
                .containsExactlyInAnyOrder("fluent-bit error", "fluent-bit info", "vector warn");
        assertThat(stored).extracting(TestingStoredLogs.Stored::timestamp).containsOnly(Instant.ofEpochMilli(millis));
    }

    @Test
    void an_empty_protobuf_export_is_an_empty_response() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(server.uri("/v1/logs"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ExportLogsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
    }
}
