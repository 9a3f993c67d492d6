package dev.quarry.local.wal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quarry.record.LogRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * One request's records as one line of the write-ahead log:
 * {@code {"records":[{"source":…,"logtype":…,"timestamp":µs,"message":…,"attributes":{…}|null,
 * "received_at":µs,"dt":"YYYY-MM-DD"}, …]}\n}. A request is one line, so a line torn by a crash loses only
 * an unacknowledged request, never part of one. DuckDB reads these lines directly (see {@code DuckDbParquetWriter}).
 */
public final class WalCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private WalCodec() {
    }

    public static byte[] encode(List<LogRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * records.size());
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("records");
            for (LogRecord record : records) {
                json.writeStartObject();
                json.writeStringField("source", record.source());
                json.writeStringField("logtype", record.logtype());
                json.writeNumberField("timestamp", micros(record.timestamp()));
                json.writeStringField("message", record.message());
                if (record.attributes().isEmpty()) {
                    json.writeNullField("attributes");
                } else {
                    json.writeObjectFieldStart("attributes");
                    for (Map.Entry<String, String> entry : record.attributes().entrySet()) {
                        json.writeStringField(entry.getKey(), entry.getValue());
                    }
                    json.writeEndObject();
                }
                json.writeNumberField("received_at", micros(record.receivedAt()));
                json.writeStringField("dt", record.day().toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
