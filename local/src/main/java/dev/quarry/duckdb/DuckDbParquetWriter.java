package dev.quarry.duckdb;

import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.table.SegmentConverter;
import dev.quarry.sql.SqlLiteral;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * Converts write-ahead-log segments to Parquet with DuckDB, which reads the request lines directly
 * ({@code read_json}) and writes zstd-compressed Parquet whose timestamps are UTC-adjusted microseconds
 * ({@code TIMESTAMP WITH TIME ZONE}), as Athena expects of {@code timestamp} columns.
 */
public final class DuckDbParquetWriter implements SegmentConverter {
    /** A record line is at most about 1 MiB of JSON, which escaping can grow about sixfold. */
    private static final long MAX_LINE_BYTES = 16L * 1024 * 1024;

    private final DuckDBConnection connection;

    /** With DuckDB's own memory limit (80 % of the machine's memory): tests and tools. */
    public DuckDbParquetWriter() throws IOException {
        connection = DuckDb.openInMemoryStreaming("TimeZone = 'UTC'", "preserve_insertion_order = false");
    }

    /**
     * Past {@code memoryLimit} (DuckDB's syntax, {@code 512MB}) a flush spills to {@code spillDirectory}; one that
     * cannot fit even so fails and is retried.
     */
    public DuckDbParquetWriter(String memoryLimit, Path spillDirectory) throws IOException {
        connection = DuckDb.openInMemoryStreaming("TimeZone = 'UTC'", "preserve_insertion_order = false",
                DuckDb.memoryLimit(memoryLimit), DuckDb.spillDirectory(spillDirectory));
    }

    /** What this writer's database holds now (a gauge at {@code /q/metrics}). */
    public DuckDbMemory memory() {
        return new DuckDbMemory(connection);
    }

    @Override
    public synchronized Map<LocalDate, Long> convert(List<Path> segments, Function<LocalDate, Path> stagingFile)
            throws IOException {
        String files = segments.stream().map(p -> SqlLiteral.quote(p.toAbsolutePath().toString()))
                .collect(Collectors.joining(", ", "[", "]"));
        Map<LocalDate, Long> written = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS batch");
            // End lines ({"end":N}) have no source: they frame requests for recovery and are skipped here.
            statement.execute("CREATE TEMP TABLE batch AS SELECT " + DuckDbSchema.FROM_WAL
                    + " FROM read_json(" + files + ", format = 'newline_delimited', columns = "
                    + DuckDbSchema.WAL_COLUMNS + ", maximum_object_size = " + MAX_LINE_BYTES + ") WHERE source IS NOT NULL");
            Map<LocalDate, Long> counts = new LinkedHashMap<>();
            try (ResultSet days = statement.executeQuery(
                    "SELECT dt, count(*) FROM batch GROUP BY dt ORDER BY dt")) {
                while (days.next()) {
                    counts.put(PartitionKeys.parseValue(days.getString(1)), days.getLong(2));
                }
            }
            for (Map.Entry<LocalDate, Long> day : counts.entrySet()) {
                Path target = stagingFile.apply(day.getKey());
                statement.execute("COPY (SELECT " + DuckDbSchema.PARQUET_COLUMNS
                        + " FROM batch WHERE dt = " + SqlLiteral.quote(PartitionKeys.value(day.getKey())) + " ORDER BY \"timestamp\")"
                        + " TO " + SqlLiteral.quote(target.toAbsolutePath().toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
                DuckDbRollups.write(statement, "(SELECT * FROM batch WHERE dt = "
                        + SqlLiteral.quote(PartitionKeys.value(day.getKey())) + ")", target, false);
                SearchIndex.write(statement, "(SELECT message, attributes FROM batch WHERE dt = "
                        + SqlLiteral.quote(PartitionKeys.value(day.getKey())) + ")", day.getValue(), target);
                written.put(day.getKey(), day.getValue());
            }
            statement.execute("DROP TABLE batch");
        } catch (SQLException e) {
            throw new IOException("Cannot write Parquet, because DuckDB failed: " + e.getMessage(), e);
        }
        return written;
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing an in-memory database loses nothing.
        }
    }
}
