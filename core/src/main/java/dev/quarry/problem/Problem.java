package dev.quarry.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.record.InvalidRecordsException;
import dev.quarry.record.Violation;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}). The {@code type} URIs name Quarry's problem
 * kinds; each is documented in the README under "Errors".
 */
public record Problem(String type, String title, int status, String detail, Map<String, Object> extensions) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:quarry:problem:";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Problem of(String kind, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, Map.of());
    }

    public Problem with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(extensions);
        copy.put(key, value);
        return new Problem(type, title, status, detail, copy);
    }

    /** 400 for a body that breaks the record contract: names each record's index and field. */
    public static Problem invalidRecords(InvalidRecordsException e) {
        ArrayNode errors = MAPPER.createArrayNode();
        for (Violation v : e.violations()) {
            ObjectNode error = errors.addObject();
            error.put("pointer", v.pointer());
            if (v.index() >= 0) {
                error.put("index", v.index());
            }
            if (v.field() != null) {
                error.put("field", v.field());
            }
            error.put("detail", v.detail());
        }
        return of("invalid-record", "Invalid log record", 400, e.getMessage())
                .with("errors", errors);
    }

    public byte[] toJson() {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", type);
        json.put("title", title);
        json.put("status", status);
        json.put("detail", detail);
        extensions.forEach((key, value) -> json.set(key, MAPPER.valueToTree(value)));
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
