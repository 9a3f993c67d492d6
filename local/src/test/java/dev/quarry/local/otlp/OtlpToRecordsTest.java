package dev.quarry.local.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.quarry.local.http.OtlpRoute;
import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpToRecordsTest {
    private static final RecordParser PARSER = RecordParser.create();
    private static final Instant RECEIVED = Instant.parse("2026-11-30T12:00:00Z");

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static ExportLogsServiceRequest request(Resource resource,
            io.opentelemetry.proto.logs.v1.LogRecord... logs) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (io.opentelemetry.proto.logs.v1.LogRecord log : logs) {
            scope.addLogRecords(log);
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope)).build();
    }

    @Test
    void a_full_record_maps_every_field() {
        Resource resource = Resource.newBuilder().addAttributes(attribute("service.name", "checkout"))
                .addAttributes(attribute("host.name", "web-1")).build();
        io.opentelemetry.proto.logs.v1.LogRecord log = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setTimeUnixNano(1_764_504_000_123_456_789L).setObservedTimeUnixNano(1_764_504_999_000_000_000L)
                .setSeverityNumberValue(17).setSeverityText("Oops")
                .setBody(AnyValue.newBuilder().setStringValue("payment \"declined\"\n"))
                .addAttributes(attribute("host.name", "web-2"))
                .addAttributes(KeyValue.newBuilder().setKey("retries").setValue(AnyValue.newBuilder().setIntValue(3)))
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c")))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("eee19b7ec3c1b174")))
                .build();
        OtlpToRecords.Result result = OtlpToRecords.map(request(resource, log), PARSER, RECEIVED);

        assertThat(result.rejected()).isZero();
        assertThat(result.droppedAttributes()).isZero();
        LogRecord record = result.accepted().get(0);
        assertThat(record.source()).isEqualTo("checkout");
        assertThat(record.logtype()).isEqualTo("error");
        assertThat(record.message()).isEqualTo("payment \"declined\"\n");
        assertThat(record.timestamp()).as("nanoseconds floored to milliseconds")
                .isEqualTo(Instant.parse("2025-11-30T12:00:00.123Z"));
        assertThat(record.attributes()).containsExactly(
                java.util.Map.entry("host.name", "web-2"), java.util.Map.entry("retries", "3"),
                java.util.Map.entry("trace_id", "5b8efff798038103d269b633813fc60c"),
                java.util.Map.entry("span_id", "eee19b7ec3c1b174"));
    }

    @Test
    void without_a_service_name_time_or_body_the_defaults_apply() {
        io.opentelemetry.proto.logs.v1.LogRecord observedOnly = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setObservedTimeUnixNano(1_764_504_000_000_000_000L).build();
        io.opentelemetry.proto.logs.v1.LogRecord bare = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setBody(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setBoolValue(true))
                        .addValues(AnyValue.newBuilder().setStringValue("x")))).build();
        OtlpToRecords.Result result = OtlpToRecords.map(request(Resource.getDefaultInstance(), observedOnly, bare),
                PARSER, RECEIVED);
        assertThat(result.accepted()).extracting(LogRecord::source).containsOnly("unknown_service");
        assertThat(result.accepted()).extracting(LogRecord::logtype).containsOnly("info");
        assertThat(result.accepted().get(0).timestamp()).isEqualTo(Instant.parse("2025-11-30T12:00:00Z"));
        assertThat(result.accepted().get(0).message()).isEmpty();
        assertThat(result.accepted().get(1).timestamp()).isEqualTo(RECEIVED);
        assertThat(result.accepted().get(1).message()).isEqualTo("[true,\"x\"]");
    }

    @Test
    void the_severity_number_decides_and_the_text_only_when_the_number_is_unspecified() {
        String[] expected = {"trace", "debug", "info", "warn", "error", "fatal"};
        for (int number = 1; number <= 24; number++) {
            assertThat(OtlpToRecords.logtype(number, "Audit")).as("number %d", number)
                    .isEqualTo(expected[(number - 1) / 4]);
        }
        assertThat(OtlpToRecords.logtype(0, "Security.Alert")).isEqualTo("security.alert");
        assertThat(OtlpToRecords.logtype(0, "not a logtype")).isEqualTo("info");
        assertThat(OtlpToRecords.logtype(0, "")).isEqualTo("info");
        assertThat(OtlpToRecords.logtype(25, "error")).isEqualTo("info");
    }

    @Test
    void attributes_past_the_limits_are_dropped_and_counted_and_a_bad_record_alone_is_rejected() {
        io.opentelemetry.proto.logs.v1.LogRecord.Builder many = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setBody(AnyValue.newBuilder().setStringValue("many"));
        for (int i = 0; i < 55; i++) {
            many.addAttributes(attribute("k" + i, "v"));
        }
        many.addAttributes(attribute("k".repeat(65), "v"));
        many.addAttributes(attribute("long", "v".repeat(1025)));
        io.opentelemetry.proto.logs.v1.LogRecord tooOld = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setTimeUnixNano(1L).setBody(AnyValue.newBuilder().setStringValue("1970")).build();
        OtlpToRecords.Result result = OtlpToRecords.map(request(Resource.getDefaultInstance(), many.build(), tooOld),
                PARSER, RECEIVED);
        assertThat(result.accepted()).hasSize(1);
        assertThat(result.accepted().get(0).attributes()).hasSize(50);
        assertThat(result.droppedAttributes()).isEqualTo(7);
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(result.reason()).contains("timestamp");
        assertThat(OtlpRoute.response(result).getPartialSuccess().getRejectedLogRecords()).isEqualTo(1);
        assertThat(OtlpRoute.response(result).getPartialSuccess().getErrorMessage()).contains("7 attribute(s) dropped");
    }

    @Test
    void otlp_json_carries_trace_and_span_ids_as_hex() throws Exception {
        String json = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"api\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1764504000000000000\","
                + "\"severityNumber\":13,\"body\":{\"stringValue\":\"slow\"},\"traceId\":\"5B8EFFF798038103D269B633813FC60C\","
                + "\"spanId\":\"eee19b7ec3c1b174\",\"futureField\":1}]}]}]}";
        ExportLogsServiceRequest request = OtlpRoute.decode(json.getBytes(StandardCharsets.UTF_8), true);
        LogRecord record = OtlpToRecords.map(request, PARSER, RECEIVED).accepted().get(0);
        assertThat(record.logtype()).isEqualTo("warn");
        assertThat(record.attributes()).containsEntry("trace_id", "5b8efff798038103d269b633813fc60c")
                .containsEntry("span_id", "eee19b7ec3c1b174");
        assertThatThrownBy(() -> OtlpRoute.decode(json.replace("eee19b7ec3c1b174", "not-hex")
                .getBytes(StandardCharsets.UTF_8), true)).hasMessageContaining("spanId must be hex");
    }
}
