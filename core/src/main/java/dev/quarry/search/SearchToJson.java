package dev.quarry.search;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The body of a search: {@code {"from","to","filters","rows","next","generatedAt"}}, each row
 * {@code {timestamp, dt, source, logtype, message, attributes}} with the timestamp in milliseconds, UTC.
 */
public final class SearchToJson {
    private static final JsonFactory JSON = new JsonFactory();
    /** Always three fraction digits, so rows sort as text too. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SearchToJson() {
    }

    /** Everything but {@code generatedAt} and the closing brace: the entity tag is derived from these bytes. */
    static byte[] content(SearchRequest request, List<SearchRow> rows, String next) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 160 * rows.size());
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)) {
            json.writeStartObject();
            json.writeStringField("from", TIMESTAMP.format(request.from()));
            json.writeStringField("to", TIMESTAMP.format(request.to()));
            json.writeObjectFieldStart("filters");
            for (Map.Entry<String, Object> filter : request.filters().entrySet()) {
                if (filter.getValue() instanceof Integer number) {
                    json.writeNumberField(filter.getKey(), number);
                } else {
                    json.writeStringField(filter.getKey(), (String) filter.getValue());
                }
            }
            json.writeEndObject();
            json.writeArrayFieldStart("rows");
            for (SearchRow row : rows) {
                writeRow(json, row);
            }
            json.writeEndArray();
            if (next == null) {
                json.writeNullField("next");
            } else {
                json.writeStringField("next", next);
            }
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One row, as {@code /search} and {@code /tail} write it. */
    public static void writeRow(JsonGenerator json, SearchRow row) throws IOException {
        json.writeStartObject();
        json.writeStringField("timestamp", TIMESTAMP.format(row.timestamp()));
        json.writeStringField("dt", row.dt());
        json.writeStringField("source", row.source());
        json.writeStringField("logtype", row.logtype());
        json.writeStringField("message", row.message());
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> attribute : row.attributes().entrySet()) {
            json.writeStringField(attribute.getKey(), attribute.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    static byte[] body(byte[] content, Instant generatedAt) {
        byte[] tail = (",\"generatedAt\":\"" + TIMESTAMP.format(generatedAt) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[content.length + tail.length];
        System.arraycopy(content, 0, body, 0, content.length);
        System.arraycopy(tail, 0, body, content.length, tail.length);
        return body;
    }
}
