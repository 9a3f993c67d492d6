package dev.quarry.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quarry.record.LogRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The Server-Sent Events of {@code GET /tail} (WHATWG HTML, "Server-sent events"): {@code event: record} with the
 * search contract's row as {@code data:}, {@code event: lagged} with {@code {"skipped": N}}, and comments. A row's
 * JSON is one line (a newline in a message is escaped as {@code \n}), so each event has one {@code data:} line.
 */
final class TailEvents {
    static final String MEDIA_TYPE = "text/event-stream";
    /** Written at connect, so the client has the headers at once and knows every later acknowledgment is its. */
    static final byte[] CONNECTED = ": connected; records acknowledged from now on follow\n\n"
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] STOPPING = ": the server is stopping\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RECORD = "event: record\ndata: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAGGED = "event: lagged\ndata: {\"skipped\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);
    /** The search rows' form: milliseconds, always three digits, UTC. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private TailEvents() {
    }

    /** Appends one entry of a {@link TailBuffer}: a record's event or a lagged event. */
    static void write(Object entry, ByteArrayOutputStream out) {
        if (entry instanceof TailBuffer.Lagged lagged) {
            out.writeBytes(LAGGED);
            out.writeBytes(Long.toString(lagged.skipped()).getBytes(StandardCharsets.US_ASCII));
            out.write('}');
            out.writeBytes(END);
            return;
        }
        out.writeBytes(RECORD);
        writeRow((LogRecord) entry, out);
        out.writeBytes(END);
    }

    /** {@code {timestamp, dt, source, logtype, message, attributes}}, as a search answers a stored record. */
    static void writeRow(LogRecord record, ByteArrayOutputStream out) {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", TIMESTAMP.format(record.timestamp()));
            json.writeStringField("dt", record.day().toString());
            json.writeStringField("source", record.source());
            json.writeStringField("logtype", record.logtype());
            json.writeStringField("message", record.message());
            json.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> attribute : record.attributes().entrySet()) {
                json.writeStringField(attribute.getKey(), attribute.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("A byte array cannot fail to take JSON", e);
        }
    }
}
