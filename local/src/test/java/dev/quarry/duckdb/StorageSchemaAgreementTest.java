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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local pipeline's declarations of the stored columns are the core's {@link StorageSchema}. */
class StorageSchemaAgreementTest {
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
    void the_parquet_writer_reads_the_write_ahead_log_with_the_schema_types() {
        Map<String, String> declared = new LinkedHashMap<>();
        Matcher column = Pattern.compile("\"?(\\w+)\"?: '([^']+)'").matcher(DuckDbParquetWriter.COLUMNS);
        while (column.find()) {
            declared.put(column.group(1), column.group(2));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        StorageSchema.columnsWithPartitionKey().forEach(c -> expected.put(c.name(), c.type().writeAheadLog));

        assertThat(declared).containsExactlyEntriesOf(expected);
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
        Map<String, String> expected = new LinkedHashMap<>();
        StorageSchema.COLUMNS.forEach(c -> expected.put(c.name(), c.type().duckDb));
        Map<String, String> withKey = new LinkedHashMap<>(expected);
        withKey.put(StorageSchema.PARTITION_KEY.name(), StorageSchema.PARTITION_KEY.type().duckDb);

        assertThat(describe("read_parquet('" + parquet + "')")).containsExactlyEntriesOf(expected);
        assertThat(describe(DuckDbQueryEngine.EMPTY_TABLE)).containsExactlyEntriesOf(withKey);
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

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }
}
