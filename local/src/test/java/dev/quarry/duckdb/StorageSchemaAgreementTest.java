package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.catalog.StorageSchema.Column;
import dev.quarry.catalog.StorageSchema;
import dev.quarry.local.wal.WalCodec;
import dev.quarry.record.LogRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local pipeline's column lists are made from the core's {@link StorageSchema} ({@link DuckDbSchema},
 * {@link WalCodec}); the files they write stay as they were: the write-ahead log's bytes and the Parquet columns'
 * order and types are pinned here.
 */
class StorageSchemaAgreementTest {
    /** The Parquet files' columns and DuckDB types, pinned: a file written today reads as every file before it. */
    private static final Map<String, String> PARQUET_TYPES = ordered("source", "VARCHAR", "logtype", "VARCHAR",
            "timestamp", "TIMESTAMPTZ", "message", "VARCHAR", "attributes", "MAP(VARCHAR, VARCHAR)", "received_at",
            "TIMESTAMPTZ");
    /** The write-ahead log's fields as read_json reads them: timestamps are epoch microseconds. */
    private static final Map<String, String> WAL_TYPES = ordered("source", "VARCHAR", "logtype", "VARCHAR",
            "timestamp", "BIGINT", "message", "VARCHAR", "attributes", "MAP(VARCHAR, VARCHAR)", "received_at",
            "BIGINT", "dt", "VARCHAR");
    private static final LogRecord RECORD = new LogRecord("app", "error", Instant.parse("2026-11-26T10:15:30.123Z"),
            "m", Map.of("k", "v"), Instant.parse("2026-11-26T10:15:31Z"), LocalDate.of(2026, 11, 26));

    @Test
    void the_write_ahead_log_lines_hold_the_columns_and_the_partition_key_in_order() throws Exception {
        String line = new String(WalCodec.encode(List.of(RECORD)), StandardCharsets.UTF_8).lines().findFirst()
                .orElseThrow();
        List<String> fields = new ArrayList<>();
        new ObjectMapper().readTree(line).fieldNames().forEachRemaining(fields::add);

        assertThat(fields).containsExactlyElementsOf(names(StorageSchema.columnsWithPartitionKey()));
    }

    @Test
    void a_write_ahead_log_line_is_byte_for_byte_what_it_was_before_it_was_made_from_the_schema() {
        LogRecord bare = new LogRecord("a\"b", "info", Instant.parse("1970-01-01T00:00:00.000001Z"), "é\n", Map.of(),
                Instant.parse("2026-11-26T10:15:31.5Z"), LocalDate.of(2026, 11, 25));

        assertThat(new String(WalCodec.encode(List.of(RECORD, bare)), StandardCharsets.UTF_8)).isEqualTo("""
                {"source":"app","logtype":"error","timestamp":1795688130123000,"message":"m","attributes":{"k":"v"},\
                "received_at":1795688131000000,"dt":"2026-11-26"}
                {"source":"a\\"b","logtype":"info","timestamp":1,"message":"é\\n","attributes":null,\
                "received_at":1795688131500000,"dt":"2026-11-25"}
                {"end":2}
                """);
    }

    @Test
    void the_parquet_writer_reads_the_write_ahead_log_fields_by_the_schema_names_with_their_json_types(
            @TempDir Path directory) throws Exception {
        Path segment = directory.resolve("segment.wal");
        Files.write(segment, WalCodec.encode(List.of(RECORD)));

        Map<String, String> read = describe("read_json('" + segment + "', format = 'newline_delimited', columns = "
                + DuckDbSchema.WAL_COLUMNS + ")");

        assertThat(read.keySet()).containsExactlyElementsOf(names(StorageSchema.columnsWithPartitionKey()));
        assertThat(read).containsExactlyEntriesOf(WAL_TYPES);
        assertThat(DuckDbSchema.FROM_WAL).isEqualTo("\"source\", \"logtype\", make_timestamptz(\"timestamp\")"
                + " AS \"timestamp\", \"message\", \"attributes\", make_timestamptz(\"received_at\") AS"
                + " \"received_at\", \"dt\"");
    }

    @Test
    void the_parquet_files_and_the_empty_table_have_the_schema_columns_and_types(@TempDir Path directory)
            throws Exception {
        Path segment = directory.resolve("segment.wal");
        Files.write(segment, WalCodec.encode(List.of(RECORD)));
        Path parquet = directory.resolve("day.parquet");
        try (DuckDbParquetWriter writer = new DuckDbParquetWriter()) {
            writer.convert(List.of(segment), day -> parquet);
        }
        Map<String, String> withKey = new LinkedHashMap<>(PARQUET_TYPES);
        withKey.put("dt", "VARCHAR");

        assertThat(PARQUET_TYPES.keySet()).containsExactlyElementsOf(names(StorageSchema.COLUMNS));
        assertThat(describe("read_parquet('" + parquet + "')")).containsExactlyEntriesOf(PARQUET_TYPES);
        assertThat(describe(DuckDbSchema.EMPTY_TABLE)).containsExactlyEntriesOf(withKey);
        assertThat(DuckDbSchema.HIVE_TYPES).isEqualTo("{'dt': 'VARCHAR'}");
    }

    private static Map<String, String> describe(String relation) throws Exception {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Connection connection = DuckDb.openInMemory(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
            while (rows.next()) {
                columns.put(rows.getString("column_name"), rows.getString("column_type")
                        .replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"));
            }
        }
        return columns;
    }

    private static Map<String, String> ordered(String... namesAndTypes) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            map.put(namesAndTypes[i], namesAndTypes[i + 1]);
        }
        return map;
    }

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }
}
