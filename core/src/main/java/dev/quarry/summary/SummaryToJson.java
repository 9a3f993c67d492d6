package dev.quarry.summary;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The response body of a summary: {@code {"query","from","to","filters","rows","generatedAt"}}, rows as objects
 * named by the query's columns, counts as JSON integers, hours as {@code YYYY-MM-DDTHH:00:00Z}.
 */
final class SummaryToJson {
    private static final JsonFactory JSON = new JsonFactory();
    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH':00:00Z'")
            .withZone(ZoneOffset.UTC);

    private SummaryToJson() {
    }

    /**
     * The body without {@code generatedAt} and its closing brace; the entity tag is derived from these bytes, so it
     * depends on the query, its parameters and its rows, and not on when they were computed.
     */
    static byte[] content(SummaryRequest request, List<List<Object>> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * rows.size());
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)) {
            json.writeStartObject();
            json.writeStringField("query", request.query().queryName());
            json.writeStringField("from", request.from().toString());
            json.writeStringField("to", request.to().toString());
            json.writeObjectFieldStart("filters");
            if (request.source().isPresent()) {
                json.writeStringField("source", request.source().get());
            }
            if (request.query() == CannedQuery.ERRORS_BY_HOUR) {
                json.writeStringField("logtype", CannedQuery.ERROR_LOGTYPE);
            } else if (request.logtype().isPresent()) {
                json.writeStringField("logtype", request.logtype().get());
            }
            if (request.limit().isPresent()) {
                json.writeNumberField("limit", request.limit().get());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("rows");
            List<CannedQuery.Column> columns = request.query().columns();
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalStateException("Cannot write a row of " + request.query().queryName()
                            + ", because it has " + row.size() + " values for " + columns.size() + " columns");
                }
                json.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    write(json, columns.get(i), row.get(i));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The whole body: {@link #content} followed by {@code generatedAt}. */
    static byte[] body(byte[] content, Instant generatedAt) {
        String tail = ",\"generatedAt\":\"" + generatedAt.truncatedTo(ChronoUnit.MILLIS) + "\"}";
        byte[] tailBytes = tail.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[content.length + tailBytes.length];
        System.arraycopy(content, 0, body, 0, content.length);
        System.arraycopy(tailBytes, 0, body, content.length, tailBytes.length);
        return body;
    }

    private static void write(JsonGenerator json, CannedQuery.Column column, Object value) throws IOException {
        json.writeFieldName(column.name());
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (column.type()) {
            case VARCHAR -> json.writeString(expect(column, value, String.class));
            case BIGINT -> json.writeNumber(expect(column, value, Long.class));
            case HOUR -> json.writeString(HOUR.format(expect(column, value, Instant.class)));
            default -> throw new IllegalStateException("Unknown column type " + column.type());
        }
    }

    private static <T> T expect(CannedQuery.Column column, Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw new IllegalStateException("Cannot write column '" + column.name() + "', because the engine returned a "
                    + value.getClass().getName() + " where the query port promises a " + type.getSimpleName());
        }
        return type.cast(value);
    }
}
