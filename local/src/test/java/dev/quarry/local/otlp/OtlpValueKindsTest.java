package dev.quarry.local.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.quarry.local.http.OtlpRoute;
import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every OTLP {@code AnyValue} kind, as a body and as an attribute, in both encodings: the rows of the mapping table
 * in docs/ingest.md. The JSON side is OTLP/JSON as exporters write it (the Node exporter sends {@code "body": {}}
 * for a record without a body); the protobuf side is the same value built with the generated classes and sent as
 * bytes, so both go through {@link OtlpRoute#decode}.
 */
class OtlpValueKindsTest {
    private static final RecordParser PARSER = RecordParser.create();
    private static final Instant RECEIVED = Instant.parse("2026-11-30T12:00:00Z");

    /** {@code proto} null: the field left out; {@code attribute} null: the attribute is dropped. */
    record Kind(String name, String json, AnyValue proto, String message, String attribute) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static AnyValue string(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    static Stream<Kind> kinds() {
        byte[] bytes = {1, 2, 3, (byte) 0xfa};
        return Stream.of(
                new Kind("string", "{\"stringValue\":\"a \\\"quoted\\\" text\"}", string("a \"quoted\" text"),
                        "a \"quoted\" text", "a \"quoted\" text"),
                new Kind("empty string", "{\"stringValue\":\"\"}", string(""), "", ""),
                new Kind("bool", "{\"boolValue\":true}", AnyValue.newBuilder().setBoolValue(true).build(),
                        "true", "true"),
                new Kind("int as a JSON string", "{\"intValue\":\"-42\"}",
                        AnyValue.newBuilder().setIntValue(-42).build(), "-42", "-42"),
                new Kind("int as a JSON number", "{\"intValue\":9007199254740993}",
                        AnyValue.newBuilder().setIntValue(9_007_199_254_740_993L).build(),
                        "9007199254740993", "9007199254740993"),
                new Kind("double", "{\"doubleValue\":2.5}", AnyValue.newBuilder().setDoubleValue(2.5).build(),
                        "2.5", "2.5"),
                new Kind("double not a number", "{\"doubleValue\":\"NaN\"}",
                        AnyValue.newBuilder().setDoubleValue(Double.NaN).build(), "NaN", "NaN"),
                new Kind("bytes", "{\"bytesValue\":\"AQID+g==\"}",
                        AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(bytes)).build(),
                        "AQID+g==", "AQID+g=="),
                new Kind("array", "{\"arrayValue\":{\"values\":[{\"boolValue\":false},{\"intValue\":\"7\"},"
                        + "{\"bytesValue\":\"AQID+g==\"},{}]}}",
                        AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setBoolValue(false))
                                .addValues(AnyValue.newBuilder().setIntValue(7))
                                .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(bytes)))
                                .addValues(AnyValue.getDefaultInstance())).build(),
                        "[false,7,\"AQID+g==\",null]", "[false,7,\"AQID+g==\",null]"),
                new Kind("kvlist", "{\"kvlistValue\":{\"values\":[{\"key\":\"user\",\"value\":{\"stringValue\":"
                        + "\"ann\"}},{\"key\":\"ms\",\"value\":{\"doubleValue\":1.25}}]}}",
                        AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                                .addValues(KeyValue.newBuilder().setKey("user").setValue(string("ann")))
                                .addValues(KeyValue.newBuilder().setKey("ms")
                                        .setValue(AnyValue.newBuilder().setDoubleValue(1.25)))).build(),
                        "{\"user\":\"ann\",\"ms\":1.25}", "{\"user\":\"ann\",\"ms\":1.25}"),
                new Kind("empty", "{}", AnyValue.getDefaultInstance(), "", null),
                new Kind("null or left out", "null", null, "", null));
    }

    private static KeyValue keyValue(String key, AnyValue value) {
        KeyValue.Builder builder = KeyValue.newBuilder().setKey(key);
        return (value == null ? builder : builder.setValue(value)).build();
    }

    static Stream<Arguments> kindsInBothEncodings() {
        return kinds().flatMap(kind -> Stream.of(Arguments.of(kind, "json"), Arguments.of(kind, "protobuf")));
    }

    private static byte[] body(Kind kind, boolean json) {
        if (json) {
            return ("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"r\",\"value\":" + kind.json()
                    + "}]},\"scopeLogs\":[{\"logRecords\":[{\"body\":" + kind.json() + ",\"attributes\":["
                    + "{\"key\":\"v\",\"value\":" + kind.json() + "},{\"key\":\"marker\",\"value\":{\"stringValue\":"
                    + "\"x\"}}]}]}]}]}").getBytes(StandardCharsets.UTF_8);
        }
        io.opentelemetry.proto.logs.v1.LogRecord.Builder log = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .addAttributes(keyValue("v", kind.proto())).addAttributes(keyValue("marker", string("x")));
        if (kind.proto() != null) {
            log.setBody(kind.proto());
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(keyValue("r", kind.proto())))
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(log))).build().toByteArray();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("kindsInBothEncodings")
    void each_value_kind_maps_as_the_table_says_as_body_and_as_attribute(Kind kind, String encoding)
            throws Exception {
        ExportLogsServiceRequest request = OtlpRoute.decode(body(kind, encoding.equals("json")),
                encoding.equals("json"));
        OtlpToRecords.Result result = OtlpToRecords.map(request, PARSER, RECEIVED);

        assertThat(result.rejected()).isZero();
        assertThat(result.droppedAttributes()).as("an empty value is not a limit's drop").isZero();
        LogRecord record = result.accepted().get(0);
        assertThat(record.message()).isEqualTo(kind.message());
        if (kind.attribute() == null) {
            assertThat(record.attributes()).containsOnlyKeys("marker");
        } else {
            assertThat(record.attributes()).containsEntry("v", kind.attribute())
                    .containsEntry("r", kind.attribute());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void both_encodings_decode_to_the_same_request(Kind kind) throws Exception {
        assertThat(OtlpRoute.decode(body(kind, true), true)).isEqualTo(OtlpRoute.decode(body(kind, false), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void a_log_attribute_without_a_value_still_hides_the_resource_attribute_of_its_key(Kind kind) {
        io.opentelemetry.proto.logs.v1.LogRecord log = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .addAttributes(keyValue("r", kind.proto())).build();
        LogRecord record = OtlpToRecords.map(ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs
                .newBuilder().setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("r")
                        .setValue(string("from the resource"))))
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(log))).build(), PARSER, RECEIVED)
                .accepted().get(0);
        if (kind.attribute() == null) {
            assertThat(record.attributes()).doesNotContainKey("r");
        } else {
            assertThat(record.attributes()).containsEntry("r", kind.attribute());
        }
    }
}
