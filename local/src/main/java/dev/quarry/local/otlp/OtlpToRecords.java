package dev.quarry.local.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quarry.record.InvalidRecordsException;
import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OTLP logs to our records (design.md, "Other ways in"): {@code service.name} → {@code source}, severity →
 * {@code logtype}, {@code body} → {@code message}, event time → {@code timestamp}, resource and log attributes
 * (and {@code trace_id}/{@code span_id}) → {@code attributes}. Each mapped record then passes the record contract
 * on its own, so one bad record is rejected (OTLP's partial success) without refusing the rest.
 */
public final class OtlpToRecords {
    static final String UNKNOWN_SERVICE = "unknown_service";
    private static final Pattern LOGTYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * @param rejected records that break the record contract even after mapping (first reason in {@code reason})
     * @param droppedAttributes attributes left out for the 50/64/1024 limits
     */
    public record Result(List<LogRecord> accepted, long rejected, String reason, long droppedAttributes) {
    }

    private OtlpToRecords() {
    }

    public static Result map(ExportLogsServiceRequest request, RecordParser parser, Instant receivedAt) {
        List<LogRecord> accepted = new ArrayList<>();
        long rejected = 0;
        String reason = null;
        long[] dropped = {0};
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            String source = UNKNOWN_SERVICE;
            Map<String, String> resourceAttributes = new LinkedHashMap<>();
            for (KeyValue attribute : resourceLogs.getResource().getAttributesList()) {
                if (attribute.getKey().equals("service.name") && attribute.getValue().hasStringValue()
                        && !attribute.getValue().getStringValue().isEmpty()) {
                    source = attribute.getValue().getStringValue();
                } else {
                    resourceAttributes.put(attribute.getKey(), text(attribute.getValue()));
                }
            }
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (io.opentelemetry.proto.logs.v1.LogRecord log : scopeLogs.getLogRecordsList()) {
                    ObjectNode record = toRecord(log, source, resourceAttributes, dropped);
                    try {
                        accepted.addAll(parser.parse(JSON.writeValueAsBytes(record), receivedAt));
                    } catch (InvalidRecordsException e) {
                        rejected++;
                        if (reason == null) {
                            reason = e.getMessage();
                        }
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("A JSON tree always serialises", e);
                    }
                }
            }
        }
        return new Result(accepted, rejected, reason, dropped[0]);
    }

    static ObjectNode toRecord(io.opentelemetry.proto.logs.v1.LogRecord log, String source,
            Map<String, String> resourceAttributes, long[] dropped) {
        ObjectNode record = NODES.objectNode();
        record.put("source", source);
        record.put("logtype", logtype(log.getSeverityNumberValue(), log.getSeverityText()));
        record.put("message", log.hasBody() ? text(log.getBody()) : "");
        long nanos = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
        if (nanos != 0) {
            // Floored to whole milliseconds, the one precision of both paths (Timestamps.floorToMillis).
            record.put("timestamp", Instant.ofEpochMilli(Long.divideUnsigned(nanos, 1_000_000L)).toString());
        }
        // Log attributes win over resource attributes of the same key: they say more about this record.
        Map<String, String> merged = new LinkedHashMap<>(resourceAttributes);
        for (KeyValue attribute : log.getAttributesList()) {
            merged.remove(attribute.getKey());
            merged.put(attribute.getKey(), text(attribute.getValue()));
        }
        if (!log.getTraceId().isEmpty()) {
            merged.put("trace_id", HexFormat.of().formatHex(log.getTraceId().toByteArray()));
        }
        if (!log.getSpanId().isEmpty()) {
            merged.put("span_id", HexFormat.of().formatHex(log.getSpanId().toByteArray()));
        }
        ObjectNode attributes = record.putObject("attributes");
        for (Map.Entry<String, String> entry : merged.entrySet()) {
            int keyLength = entry.getKey().codePointCount(0, entry.getKey().length());
            if (attributes.size() >= RecordParser.MAX_ATTRIBUTES || keyLength < 1
                    || keyLength > RecordParser.MAX_ATTRIBUTE_KEY
                    || entry.getValue().codePointCount(0, entry.getValue().length())
                            > RecordParser.MAX_ATTRIBUTE_VALUE) {
                dropped[0]++;
            } else {
                attributes.put(entry.getKey(), entry.getValue());
            }
        }
        return record;
    }

    /**
     * The severity number decides (OTLP's ranges: 1–4 trace … 21–24 fatal); the text only when the number is
     * unspecified, and only when lower-cased it is a logtype; else {@code info}.
     */
    static String logtype(int severityNumber, String severityText) {
        if (severityNumber >= 1 && severityNumber <= 24) {
            return switch ((severityNumber - 1) / 4) {
                case 0 -> "trace";
                case 1 -> "debug";
                case 2 -> "info";
                case 3 -> "warn";
                case 4 -> "error";
                default -> "fatal";
            };
        }
        String lower = severityText.toLowerCase(Locale.ROOT);
        return severityNumber == 0 && LOGTYPE.matcher(lower).matches() ? lower : "info";
    }

    /** Strings as they are; any other value as JSON. */
    static String text(AnyValue value) {
        return value.hasStringValue() ? value.getStringValue() : json(value).toString();
    }

    static JsonNode json(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> NODES.textNode(value.getStringValue());
            case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
            case INT_VALUE -> NODES.numberNode(value.getIntValue());
            case DOUBLE_VALUE -> Double.isFinite(value.getDoubleValue()) ? NODES.numberNode(value.getDoubleValue())
                    : NODES.textNode(Double.toString(value.getDoubleValue()));
            case BYTES_VALUE -> NODES.textNode(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                ArrayNode array = NODES.arrayNode();
                value.getArrayValue().getValuesList().forEach(element -> array.add(json(element)));
                yield array;
            }
            case KVLIST_VALUE -> {
                ObjectNode object = NODES.objectNode();
                value.getKvlistValue().getValuesList().forEach(kv -> object.set(kv.getKey(), json(kv.getValue())));
                yield object;
            }
            default -> NODES.nullNode();
        };
    }
}
