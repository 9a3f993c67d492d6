package dev.quarry.local.tail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quarry.record.LogRecord;
import dev.quarry.search.SearchRow;
import dev.quarry.search.SearchToJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Server-Sent Events of {@code GET /tail} (WHATWG HTML, "Server-sent events"): {@code event: record} with the
 * search contract's row as {@code data:}, {@code event: lagged} with {@code {"skipped": N}}, and comments. A row's
 * JSON is one line (a newline in a message is escaped as {@code \n}), so each event has one {@code data:} line.
 */
public final class TailEvents {
    public static final String MEDIA_TYPE = "text/event-stream";
    /** Written at connect, so the client has the headers at once and knows every later acknowledgment is its. */
    public static final byte[] CONNECTED = ": connected; records acknowledged from now on follow\n\n"
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] STOPPING = ": the server is stopping\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RECORD = "event: record\ndata: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAGGED = "event: lagged\ndata: {\"skipped\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);
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

    /** The row a search answers for the stored record ({@link SearchToJson#writeRow}: attributes ordered by key). */
    static void writeRow(LogRecord record, ByteArrayOutputStream out) {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            SearchToJson.writeRow(json, new SearchRow(record.timestamp(), record.day().toString(), record.source(),
                    record.logtype(), record.message(), record.attributes()));
        } catch (IOException e) {
            throw new UncheckedIOException("A byte array cannot fail to take JSON", e);
        }
    }
}
