package dev.quarry.local.tail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.record.LogRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TailEventsTest {

    @Test
    void a_record_is_one_event_with_the_search_row_on_one_data_line() throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("request_id", "r-1");
        attributes.put("line", "a\nb");
        LogRecord record = new LogRecord("web-1", "error", Instant.parse("2026-12-01T10:15:30.123987Z"),
                "two\nlines \"quoted\" <img src=x> 😀", attributes, Instant.parse("2026-12-01T10:15:31Z"),
                LocalDate.of(2026, 12, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TailEvents.write(record, out);
        String event = out.toString(StandardCharsets.UTF_8);
        assertThat(event).startsWith("event: record\ndata: {").endsWith("}\n\n");
        assertThat(event.lines()).hasSize(3).last().isEqualTo("");
        JsonNode row = new ObjectMapper().readTree(event.substring("event: record\ndata: ".length()));
        assertThat(row.toString()).isEqualTo("{\"timestamp\":\"2026-12-01T10:15:30.123Z\",\"dt\":\"2026-12-01\","
                + "\"source\":\"web-1\",\"logtype\":\"error\",\"message\":\"two\\nlines \\\"quoted\\\" <img src=x> 😀\","
                + "\"attributes\":{\"line\":\"a\\nb\",\"request_id\":\"r-1\"}}");
    }

    @Test
    void a_whole_second_keeps_its_milliseconds_and_no_attributes_is_an_empty_object() throws Exception {
        LogRecord record = new LogRecord("s", "info", Instant.parse("2026-12-01T10:15:30Z"), "m", Map.of(),
                Instant.parse("2026-12-01T10:15:30Z"), LocalDate.of(2026, 12, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TailEvents.writeRow(record, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"timestamp\":\"2026-12-01T10:15:30.000Z\"")
                .endsWith("\"attributes\":{}}");
    }

    @Test
    void a_skip_is_a_lagged_event() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TailEvents.write(new TailBuffer.Lagged(12345), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("event: lagged\ndata: {\"skipped\":12345}\n\n");
    }
}
