package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.bench.ClickHousePeer.Query;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of {@code scripts/bench --peer clickhouse} that need no server: a full run takes minutes. */
class ClickHousePeerTest {
    private static final LocalDate DAY = LocalDate.of(2025, 12, 1);

    @Test
    void without_clickhouse_server_the_run_says_so_in_one_line_and_exits_2(@TempDir Path empty) throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = ClickHousePeer.run(empty, 1_000, empty.toString(), empty.resolve("sbin"));
        } finally {
            System.setErr(stderr);
        }
        assertThat(code).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(ClickHousePeer.NO_SERVER + System.lineSeparator());
        assertThat(empty).isEmptyDirectory();
    }

    @Test
    void the_server_is_found_on_path_before_the_fallback_directory(@TempDir Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path sbin = Files.createDirectories(root.resolve("sbin"));
        for (Path directory : List.of(bin, sbin)) {
            Files.createFile(directory.resolve("clickhouse-server"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        assertThat(ClickHousePeer.findServer("/nonexistent:" + bin, sbin)).contains(bin.resolve("clickhouse-server"));
        assertThat(ClickHousePeer.findServer("", sbin)).contains(sbin.resolve("clickhouse-server"));
        assertThat(ClickHousePeer.findServer(null)).isEmpty();
    }

    @Test
    void a_request_body_becomes_json_each_row_with_epoch_millis_the_day_and_attribute_arrays() throws IOException {
        byte[] body = ("[{\"source\":\"web-1\",\"logtype\":\"info\",\"timestamp\":1764547200123,\"message\":\"a\\tb\"},"
                + "{\"source\":\"web-2\",\"logtype\":\"error\",\"timestamp\":\"1764633599999\",\"message\":\"x\","
                + "\"attributes\":{\"request_id\":\"ab12\",\"region\":\"eu-west-1\"}},"
                + "{\"source\":\"cron\",\"logtype\":\"warn\",\"timestamp\":\"2025-12-02T00:00:00.5Z\",\"message\":\"y\"}]")
                .getBytes(StandardCharsets.UTF_8);
        String[] lines = new String(ClickHousePeer.toJsonEachRow(body, 7), StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        JsonNode first = Bench.JSON.readTree(lines[0]);
        assertThat(first.get("dt").asText()).isEqualTo("2025-12-01");
        assertThat(first.get("timestamp").asLong()).isEqualTo(1764547200123L);
        assertThat(first.get("message").asText()).isEqualTo("a\tb");
        assertThat(first.get("attributes.key")).isEmpty();
        assertThat(first.get("received_at").asLong()).isEqualTo(7);
        JsonNode second = Bench.JSON.readTree(lines[1]);
        assertThat(second.get("dt").asText()).as("the last millisecond of a day").isEqualTo("2025-12-01");
        assertThat(second.get("attributes.key").toString()).isEqualTo("[\"request_id\",\"region\"]");
        assertThat(second.get("attributes.value").toString()).isEqualTo("[\"ab12\",\"eu-west-1\"]");
        JsonNode third = Bench.JSON.readTree(lines[2]);
        assertThat(third.get("timestamp").asLong()).isEqualTo(1764633600500L);
        assertThat(third.get("dt").asText()).isEqualTo("2025-12-02");
    }

    @Test
    void equal_summary_answers_pass_and_the_hour_is_read_from_epoch_millis() throws IOException {
        Query errorsByHour = query("errors-by-hour");
        JsonNode quarry = Bench.JSON.readTree("{\"rows\":[{\"hour\":\"2025-12-01T00:00:00Z\",\"events\":12},"
                + "{\"hour\":\"2025-12-01T05:00:00Z\",\"events\":3}]}");
        JsonNode clickHouse = Bench.JSON.readTree("{\"meta\":[],\"data\":[[\"1764547200000\",\"12\"],"
                + "[\"1764565200000\",\"3\"]],\"rows\":2}");
        List<List<String>> left = ClickHousePeer.quarryRows(errorsByHour, quarry);
        List<List<String>> right = ClickHousePeer.clickHouseRows(errorsByHour, clickHouse);
        assertThat(left).isEqualTo(right).containsExactly(List.of("2025-12-01T00:00:00Z", "12"),
                List.of("2025-12-01T05:00:00Z", "3"));
        ClickHousePeer.requireEqual(errorsByHour, left, right);
    }

    @Test
    void a_different_count_or_order_of_a_summary_fails_loudly_naming_the_query_and_the_row() throws IOException {
        Query bySource = query("events-by-source");
        List<List<String>> quarry = ClickHousePeer.quarryRows(bySource, Bench.JSON.readTree(
                "{\"rows\":[{\"source\":\"web-1\",\"events\":5,\"errors\":1},{\"source\":\"cron\",\"events\":2,"
                        + "\"errors\":0}]}"));
        List<List<String>> countDiffers = ClickHousePeer.clickHouseRows(bySource, Bench.JSON.readTree(
                "{\"data\":[[\"web-1\",\"5\",\"1\"],[\"cron\",\"2\",\"1\"]]}"));
        assertThatThrownBy(() -> ClickHousePeer.requireEqual(bySource, quarry, countDiffers))
                .hasMessageContaining("events-by-source: the answers differ")
                .hasMessageContaining("first difference at row 1: Quarry [cron, 2, 0], ClickHouse [cron, 2, 1]");
        List<List<String>> orderDiffers = ClickHousePeer.clickHouseRows(bySource, Bench.JSON.readTree(
                "{\"data\":[[\"cron\",\"2\",\"0\"],[\"web-1\",\"5\",\"1\"]]}"));
        assertThatThrownBy(() -> ClickHousePeer.requireEqual(bySource, quarry, orderDiffers))
                .hasMessageContaining("at row 0");
        List<List<String>> missing = ClickHousePeer.clickHouseRows(bySource, Bench.JSON.readTree(
                "{\"data\":[[\"web-1\",\"5\",\"1\"]]}"));
        assertThatThrownBy(() -> ClickHousePeer.requireEqual(bySource, quarry, missing))
                .hasMessageContaining("Quarry has 2 rows, ClickHouse 1");
    }

    @Test
    void search_rows_compare_as_sets_with_attributes_zipped_and_sorted_and_timestamps_as_millis() throws IOException {
        Query search = ClickHousePeer.search("search", DAY, DAY, "timed out", null, null);
        List<List<String>> quarry = ClickHousePeer.quarryRows(search, Bench.JSON.readTree("{\"rows\":["
                + "{\"timestamp\":\"2025-12-01T10:00:00.123Z\",\"dt\":\"2025-12-01\",\"source\":\"a\",\"logtype\":\"error\","
                + "\"message\":\"timed out\",\"attributes\":{\"region\":\"us-east-1\",\"request_id\":\"f\"}},"
                + "{\"timestamp\":\"2025-12-01T10:00:00.123Z\",\"dt\":\"2025-12-01\",\"source\":\"b\",\"logtype\":\"error\","
                + "\"message\":\"Timed out\",\"attributes\":{}}]}"));
        List<List<String>> clickHouse = ClickHousePeer.clickHouseRows(search, Bench.JSON.readTree("{\"data\":["
                + "[\"1764583200123\",\"2025-12-01\",\"b\",\"error\",\"Timed out\",[],[]],"
                + "[\"1764583200123\",\"2025-12-01\",\"a\",\"error\",\"timed out\",[\"request_id\",\"region\"],"
                + "[\"f\",\"us-east-1\"]]]}"));
        ClickHousePeer.requireEqual(search, quarry, clickHouse);
        assertThat(quarry.get(0)).containsExactly("1764583200123", "2025-12-01", "a", "error", "timed out",
                "{region=us-east-1, request_id=f}");
        List<List<String>> otherValue = ClickHousePeer.clickHouseRows(search, Bench.JSON.readTree("{\"data\":["
                + "[\"1764583200123\",\"2025-12-01\",\"b\",\"error\",\"Timed out\",[],[]],"
                + "[\"1764583200123\",\"2025-12-01\",\"a\",\"error\",\"timed out\",[\"request_id\",\"region\"],"
                + "[\"g\",\"us-east-1\"]]]}"));
        assertThatThrownBy(() -> ClickHousePeer.requireEqual(search, quarry, otherValue))
                .hasMessageContaining("the answers differ");
    }

    @Test
    void the_search_statements_filter_alike_and_quote_their_literals() {
        Query attribute = ClickHousePeer.search("attr", DAY, DAY.plusDays(1), null, "request_id", "it's");
        assertThat(attribute.quarryPath()).isEqualTo("/search?from=2025-12-01&to=2025-12-02&limit=100"
                + "&attr.request_id=it%27s");
        assertThat(attribute.clickHouseSql()).contains("dt BETWEEN toDate('2025-12-01') AND toDate('2025-12-02')")
                .contains("timestamp >= 1764547200000 AND timestamp < 1764720000000")
                .contains("attributes.value[indexOf(attributes.key, 'request_id')] = 'it\\'s'")
                .endsWith("ORDER BY timestamp DESC, dt, source, logtype, message LIMIT 100");
    }

    @Test
    void the_table_replaces_what_stands_between_the_markers_and_nothing_else() {
        String document = "before\n" + ClickHousePeer.BEGIN + "\nold table\n" + ClickHousePeer.END + "\nafter\n";
        String updated = ClickHousePeer.replaceBetweenMarkers(document, "| new |\n");
        assertThat(updated).isEqualTo("before\n" + ClickHousePeer.BEGIN + "\n| new |\n" + ClickHousePeer.END
                + "\nafter\n");
        assertThat(ClickHousePeer.replaceBetweenMarkers(updated, "| new |\n")).isEqualTo(updated);
        assertThatThrownBy(() -> ClickHousePeer.replaceBetweenMarkers("no markers", "x"))
                .hasMessageContaining("markers");
    }

    @Test
    void bodies_in_timestamp_order_each_cover_the_next_slice_of_the_window_and_hold_every_record() throws IOException {
        long start = 1_764_547_200_000L;
        long span = 86_400_000L;
        List<byte[]> bodies = ClickHousePeer.orderedBodies(new Bench.Generator(7), 2_300, start, span);
        assertThat(bodies).hasSize(5);
        long records = 0;
        for (int i = 0; i < bodies.size(); i++) {
            JsonNode body = Bench.JSON.readTree(bodies.get(i));
            records += body.size();
            for (JsonNode record : body) {
                assertThat(ClickHousePeer.millis(record.get("timestamp"))).as("body %d", i)
                        .isGreaterThanOrEqualTo(start + span * i / 5).isLessThan(start + span * (i + 1) / 5);
            }
        }
        assertThat(records).isEqualTo(2_300);
        assertThat(Bench.JSON.readTree(bodies.get(4)).size()).isEqualTo(300);
    }

    private static Query query(String name) {
        return ClickHousePeer.summaries(DAY, DAY).stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow();
    }
}
