package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every value kind the OpenTelemetry Java API can send, through the real SDK and exporter to the packaged server,
 * read back from the stored Parquet: docs/ingest.md's mapping table end to end. Protobuf is the exporter as shipped
 * ({@code OtlpHttpLogRecordExporter}); the Java HTTP exporter has no JSON mode, so JSON is the same records
 * encoded by the exporter's own OTLP/JSON marshaler (the one its {@code logging-otlp} exporter prints) and posted
 * as {@code application/json}. The kinds the Java API cannot send as attributes (bytes, kvlist, empty) are covered
 * in both encodings by {@link OtlpValueKindsTest}.
 */
class OtlpValueKindsIT extends TestingServerPerClass {
    private static final byte[] BYTES = {1, 2, 3, (byte) 0xfa};
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
    private static final AttributeKey<String> RUN = AttributeKey.stringKey("run");

    /** The kind name, what the record is given, and the message it must be stored with. */
    private record Body(String kind, Consumer<LogRecordBuilder> set, String message) {
    }

    private static final List<Body> BODIES = List.of(
            new Body("string", b -> b.setBody("as \"sent\""), "as \"sent\""),
            new Body("bool", b -> b.setBody(Value.of(true)), "true"),
            new Body("int", b -> b.setBody(Value.of(-42L)), "-42"),
            new Body("double", b -> b.setBody(Value.of(2.5)), "2.5"),
            new Body("bytes", b -> b.setBody(Value.of(BYTES)), "AQID+g=="),
            new Body("array", b -> b.setBody(Value.of(Value.of(false), Value.of(7L), Value.of(BYTES))),
                    "[false,7,\"AQID+g==\"]"),
            new Body("kvlist", b -> b.setBody(Value.of(KeyValue.of("user", Value.of("ann")),
                    KeyValue.of("ms", Value.of(1.25)))), "{\"user\":\"ann\",\"ms\":1.25}"),
            new Body("absent", b -> { }, ""));

    /** OTLP/JSON as the Java exporter's marshaler writes it, posted like its HTTP exporter posts protobuf. */
    private static final class JsonExporter implements LogRecordExporter {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI endpoint;

        JsonExporter(URI endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            try {
                ByteArrayOutputStream json = new ByteArrayOutputStream();
                LogsRequestMarshaler.create(logs).writeJsonTo(json);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.toByteArray())).build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? CompletableResultCode.ofSuccess()
                        : CompletableResultCode.ofExceptionalFailure(new IllegalStateException(response.body()));
            } catch (Exception e) {
                return CompletableResultCode.ofExceptionalFailure(e);
            }
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"protobuf", "json"})
    void every_value_kind_the_java_sdk_sends_is_stored_as_the_mapping_table_says(String encoding) throws Exception {
        String run = encoding + "-" + System.nanoTime();
        URI endpoint = server.uri("/v1/logs");
        LogRecordExporter exporter = encoding.equals("json") ? new JsonExporter(endpoint)
                : OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint.toString()).build();
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
            Logger logger = provider.get("quarry-test");
            for (Body body : BODIES) {
                LogRecordBuilder record = logger.logRecordBuilder().setAttribute(RUN, run)
                        .setAttribute(KIND, body.kind());
                body.set().accept(record);
                record.emit();
            }
            logger.logRecordBuilder().setBody("attributes").setAttribute(RUN, run).setAttribute(KIND, "attributes")
                    .setAttribute(AttributeKey.stringKey("string"), "as \"sent\"")
                    .setAttribute(AttributeKey.stringKey("empty_string"), "")
                    .setAttribute(AttributeKey.booleanKey("bool"), false)
                    .setAttribute(AttributeKey.longKey("int"), 9_007_199_254_740_993L)
                    .setAttribute(AttributeKey.doubleKey("double"), 0.1)
                    .setAttribute(AttributeKey.stringArrayKey("strings"), List.of("a", "b\""))
                    .setAttribute(AttributeKey.booleanArrayKey("bools"), List.of(true, false))
                    .setAttribute(AttributeKey.longArrayKey("ints"), List.of(1L, -2L))
                    .setAttribute(AttributeKey.doubleArrayKey("doubles"), List.of(1.5, 2.0))
                    .emit();
            CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).as(server.log()).isTrue();
        }

        Map<String, TestingStoredLogs.Stored> stored = await().atMost(QUERYABLE_WITHIN)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TestingStoredLogs.read(server.dataDir()).stream()
                        .filter(r -> run.equals(r.attributes().get("run")))
                        .collect(Collectors.toMap(r -> r.attributes().get("kind"), r -> r)),
                        rows -> rows.size() == BODIES.size() + 1);
        for (Body body : BODIES) {
            assertThat(stored.get(body.kind()).message()).as(body.kind()).isEqualTo(body.message());
        }
        // The Java exporter leaves an empty string out of its AnyValue (proto3 omits a default scalar), so what
        // arrives is the empty value, and an attribute without a value is dropped.
        assertThat(stored.get("attributes").attributes()).doesNotContainKey("empty_string");
        assertThat(stored.get("attributes").attributes()).containsAllEntriesOf(Map.of(
                "string", "as \"sent\"", "bool", "false", "int", "9007199254740993",
                "double", "0.1", "strings", "[\"a\",\"b\\\"\"]", "bools", "[true,false]", "ints", "[1,-2]",
                "doubles", "[1.5,2.0]"));
    }
}
