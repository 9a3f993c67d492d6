package dev.quarry.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@code POST /logs} body into accepted records, or refuses it whole. The JSON Schema file
 * ({@value #SCHEMA_RESOURCE}) decides first; then the checks a draft-04 schema cannot state: calendar-valid
 * timestamps, {@code $} matching before a trailing newline in Java's regex engine, unpaired surrogates
 * (which cannot be stored byte-exact as UTF-8).
 */
public final class RecordParser {
    public static final String SCHEMA_RESOURCE = "quarry/schema/log-record.schema.json";
    public static final int MAX_RECORDS = 500;
    public static final int MAX_SOURCE = 128;
    public static final int MAX_MESSAGE = 32_768;
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_KEY = 64;
    public static final int MAX_ATTRIBUTE_VALUE = 1_024;
    public static final List<String> FIELDS = List.of("source", "logtype", "message", "timestamp", "attributes");

    private static final Pattern LOGTYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,31}\\z");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F-\\x9F]");

    private final ObjectMapper mapper;
    private final JsonSchema requestSchema;
    private final JsonSchema recordSchema;

    private RecordParser(ObjectMapper mapper, JsonNode schema) {
        this.mapper = mapper;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        this.requestSchema = factory.getSchema(schema);
        this.recordSchema = factory.getSchema(schema.path("definitions").path("record"));
    }

    public static RecordParser create() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new RecordParser(mapper, schemaJson(mapper));
    }

    /** The record contract as a JSON tree, read from the classpath. */
    public static JsonNode schemaJson(ObjectMapper mapper) {
        try (InputStream in = RecordParser.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Cannot load the record schema, because " + SCHEMA_RESOURCE
                        + " is not on the classpath");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the record schema " + SCHEMA_RESOURCE, e);
        }
    }

    /** Whether the whole-request schema alone accepts this JSON (for tests that keep schema and parser in step). */
    public boolean schemaAccepts(JsonNode body) {
        return requestSchema.validate(body).isEmpty();
    }

    /** Records of one request; {@code receivedAt} is floored to whole milliseconds, as every timestamp. */
    public List<LogRecord> parse(byte[] body, Instant receivedAt) throws InvalidRecordsException {
        receivedAt = Timestamps.floorToMillis(receivedAt);
        JsonNode root = readBody(body);
        if (root.isObject()) {
            return List.of(toRecord(root, -1, receivedAt));
        }
        if (!root.isArray()) {
            throw new InvalidRecordsException(new Violation(-1, null,
                    "The body must be a JSON object (one record) or an array of 1 to " + MAX_RECORDS + " records"));
        }
        int size = root.size();
        if (size == 0 || size > MAX_RECORDS) {
            throw new InvalidRecordsException(new Violation(-1, null,
                    "An array body must hold 1 to " + MAX_RECORDS + " records; it holds " + size));
        }
        List<LogRecord> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            records.add(toRecord(root.get(i), i, receivedAt));
        }
        return records;
    }

    private JsonNode readBody(byte[] body) throws InvalidRecordsException {
        if (body.length == 0) {
            throw new InvalidRecordsException(new Violation(-1, null, "The body is empty; send a JSON log record"));
        }
        try (JsonParser parser = mapper.createParser(utf8(body))) {
            JsonNode root = mapper.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new InvalidRecordsException(new Violation(-1, null,
                        "The body holds only whitespace; send a JSON log record"));
            }
            if (parser.nextToken() != null) {
                throw new InvalidRecordsException(new Violation(-1, null,
                        "The body holds more than one JSON value; send one record or one array of records"));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidRecordsException(new Violation(-1, null, "The body is not valid JSON: "
                    + e.getOriginalMessage() + locationOf(e)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body as text, decoded strictly: Jackson alone would take overlong UTF-8 forms (C0 AF for '/') and
     * guess UTF-16 or UTF-32 from the first bytes, neither of which is a JSON text (RFC 8259: UTF-8).
     */
    private static String utf8(byte[] body) throws InvalidRecordsException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordsException(new Violation(-1, null,
                    "The body is not valid UTF-8; send JSON encoded in UTF-8"));
        }
        // A byte order mark may be ignored (RFC 8259, section 8.1), as Jackson does when it reads bytes.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private LogRecord toRecord(JsonNode node, int index, Instant receivedAt) throws InvalidRecordsException {
        if (!node.isObject()) {
            throw new InvalidRecordsException(new Violation(index, null, "A log record must be a JSON object"));
        }
        List<Violation> violations = new ArrayList<>();
        Set<String> flagged = new HashSet<>();
        for (ValidationMessage message : recordSchema.validate(node)) {
            Violation violation = fromSchema(message, index);
            if (violation.field() == null || flagged.add(violation.field() + "\u0000" + violation.detail())) {
                violations.add(violation);
            }
        }
        Set<String> flaggedFields = new HashSet<>();
        violations.forEach(v -> flaggedFields.add(v.field()));

        String source = text(node, "source");
        String logtype = text(node, "logtype");
        String message = text(node, "message");
        if (source != null && !flaggedFields.contains("source")) {
            check(violations, index, "source", checkSource(source));
        }
        if (logtype != null && !flaggedFields.contains("logtype")) {
            check(violations, index, "logtype", checkLogtype(logtype));
        }
        if (message != null && !flaggedFields.contains("message")) {
            check(violations, index, "message", checkText(message, MAX_MESSAGE));
        }
        Instant timestamp = receivedAt;
        JsonNode sentTimestamp = node.get("timestamp");
        if (sentTimestamp != null) {
            violations.removeIf(v -> "timestamp".equals(v.field()));
            try {
                timestamp = timestampOf(sentTimestamp);
            } catch (Timestamps.InvalidTimestampException e) {
                violations.add(new Violation(index, "timestamp", e.getMessage()));
            }
        }
        Map<String, String> attributes = Map.of();
        JsonNode attributesNode = node.get("attributes");
        if (attributesNode != null && attributesNode.isObject() && !flaggedFields.contains("attributes")) {
            Map<String, String> copy = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = attributesNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String keyProblem = checkText(entry.getKey(), MAX_ATTRIBUTE_KEY);
                if (keyProblem == null && entry.getKey().isEmpty()) {
                    keyProblem = "must not be empty";
                }
                if (keyProblem != null) {
                    violations.add(new Violation(index, "attributes", "key '" + entry.getKey() + "' " + keyProblem));
                    continue;
                }
                String valueProblem = checkText(entry.getValue().asText(), MAX_ATTRIBUTE_VALUE);
                if (valueProblem != null) {
                    violations.add(new Violation(index, "attributes", "value of '" + entry.getKey() + "' "
                            + valueProblem));
                    continue;
                }
                copy.put(entry.getKey(), entry.getValue().textValue());
            }
            attributes = copy;
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing((Violation v) -> v.field() == null ? "" : v.field())
                    .thenComparing(Violation::detail));
            throw new InvalidRecordsException(violations);
        }
        return new LogRecord(source, logtype, timestamp, message, attributes, receivedAt,
                EventDay.of(timestamp, receivedAt));
    }

    private static Instant timestampOf(JsonNode value) throws Timestamps.InvalidTimestampException {
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new Timestamps.InvalidTimestampException(value + " is too large; " + Timestamps.RULE);
            }
            return Timestamps.fromEpochMillis(value.longValue());
        }
        if (value.isTextual()) {
            return Timestamps.fromText(value.textValue());
        }
        throw new Timestamps.InvalidTimestampException("a " + value.getNodeType().name().toLowerCase()
                + " is not a timestamp; " + Timestamps.RULE);
    }

    private static void check(List<Violation> violations, int index, String field, String problem) {
        if (problem != null) {
            violations.add(new Violation(index, field, problem));
        }
    }

    /** Null when {@code source} is a valid record source (1 to 128 characters, no control characters); else why not. */
    public static String checkSource(String source) {
        if (source.isEmpty()) {
            return "must not be empty";
        }
        if (CONTROL.matcher(source).find()) {
            return "must not contain control characters";
        }
        return checkText(source, MAX_SOURCE);
    }

    /** Null when {@code logtype} is a valid record logtype ({@code ^[a-z][a-z0-9_.-]{0,31}$}); else why not. */
    public static String checkLogtype(String logtype) {
        return LOGTYPE.matcher(logtype).matches() ? null : logtypeRule();
    }

    /** Null when the text is valid Unicode of at most {@code maxCharacters} code points. */
    static String checkText(String text, int maxCharacters) {
        int length = text.length();
        int codePoints = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return "holds an unpaired UTF-16 surrogate at character " + i + ", which is not Unicode text";
                }
            } else if (Character.isLowSurrogate(c)) {
                return "holds an unpaired UTF-16 surrogate at character " + i + ", which is not Unicode text";
            }
            codePoints++;
        }
        if (codePoints > maxCharacters) {
            return "must be at most " + maxCharacters + " characters; it has " + codePoints;
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static String logtypeRule() {
        return "must match ^[a-z][a-z0-9_.-]{0,31}$: a lower-case letter, then up to 31 of a-z, 0-9, '_', '.', '-'"
                + " (such as error, info, security.alert)";
    }

    private static Violation fromSchema(ValidationMessage message, int index) {
        String type = message.getType();
        var location = message.getInstanceLocation();
        String field = location.getNameCount() > 0 ? String.valueOf(location.getElement(0)) : null;
        JsonNode schema = message.getSchemaNode();
        switch (type) {
            case "required":
                return new Violation(index, message.getProperty(), "is required");
            case "additionalProperties":
                if (field == null) {
                    return new Violation(index, message.getProperty(), "is not a field of a log record"
                            + suggestion(message.getProperty()) + " (the fields are " + String.join(", ", FIELDS)
                            + ")");
                }
                return new Violation(index, field, "key '" + message.getProperty() + "' must be 1 to "
                        + MAX_ATTRIBUTE_KEY + " characters");
            case "type":
                String where = location.getNameCount() > 1 ? "values" : "";
                return new Violation(index, field, (where.isEmpty() ? "must be " : "values must be ")
                        + article(keyword(schema, "type").asText()));
            case "minLength":
                return new Violation(index, field, "must not be empty");
            case "maxLength":
                return new Violation(index, field, (location.getNameCount() > 1 ? "value of '"
                        + location.getElement(1) + "' " : "") + "must be at most " + keyword(schema, "maxLength").asInt()
                        + " characters");
            case "maxProperties":
                return new Violation(index, field, "must have at most " + keyword(schema, "maxProperties").asInt()
                        + " entries");
            case "pattern":
                if ("source".equals(field)) {
                    return new Violation(index, field, "must not contain control characters");
                }
                if ("logtype".equals(field)) {
                    return new Violation(index, field, logtypeRule());
                }
                return new Violation(index, field, message.getMessage());
            case "oneOf":
            case "minimum":
            case "maximum":
                if ("timestamp".equals(field)) {
                    return new Violation(index, field, Timestamps.RULE);
                }
                return new Violation(index, field, message.getMessage());
            default:
                return new Violation(index, field, message.getMessage());
        }
    }

    /** {@code "; did you mean 'source'?"} for a near miss such as {@code " source"} or {@code "Source"}. */
    static String suggestion(String unknown) {
        String normalized = unknown.strip().toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
        for (String field : FIELDS) {
            if (field.equals(normalized) || (field.equals("timestamp") && normalized.equals("time"))
                    || (field.equals("message") && normalized.equals("msg"))) {
                return "; did you mean '" + field + "'?";
            }
        }
        return "";
    }

    /**
     * The value of a schema keyword: networknt reports the keyword's own value as the message's schema node
     * (so {@code schema.path("maxLength")} was missing, and details read "at most 0 characters").
     */
    private static JsonNode keyword(JsonNode schema, String keyword) {
        return schema.isObject() && schema.has(keyword) ? schema.get(keyword) : schema;
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            default -> "a " + type;
        };
    }
}
