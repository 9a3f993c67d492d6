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
 * kinds, listed with their status and title in {@link ProblemType}; each is documented in docs/ingest.md and
 * docs/summary-api.md.
 */
public record Problem(String type, String title, int status, String detail, Map<String, Object> extensions) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, Map.of());
    }

    /**
     * The problem of the type {@code kind} names, checked against {@link ProblemType}: a kind not in the table, or
     * a title or status other than the table's, is a programming error. Package-private, so that callers name a
     * {@link ProblemType} ({@link #of(ProblemType, String)}) and write no title or status of their own.
     *
     * @throws IllegalArgumentException for a kind, title or status the table does not hold
     */
    static Problem of(String kind, String title, int status, String detail) {
        ProblemType type = ProblemType.bySlug(kind).orElseThrow(() -> new IllegalArgumentException(
                "No problem type '" + kind + "' in ProblemType"));
        if (!type.title().equals(title) || type.status() != status) {
            throw new IllegalArgumentException("The problem type '" + kind + "' is " + type.status() + " '"
                    + type.title() + "' in ProblemType, not " + status + " '" + title + "'");
        }
        return of(type, detail);
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
        return of(ProblemType.INVALID_RECORD, e.getMessage())
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
