package dev.quarry.duckdb;

import dev.quarry.local.table.ParquetMerger;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * Merges Parquet files with DuckDB, in a database of its own so that a long merge never holds up a flush or a
 * query. It runs on one thread: compaction is background work on a machine that also ingests and answers queries.
 */
public final class DuckDbParquetMerger implements ParquetMerger {
    /**
     * DuckDB's default row group (122,880 rows), stated so it stays: DuckDB parallelises a scan by row group, and
     * compresses per row group (https://duckdb.org/docs/stable/data/parquet/tips).
     */
    static final int ROW_GROUP_ROWS = 122_880;

    private final DuckDBConnection connection;

    /** With DuckDB's own memory limit (80 % of the machine's memory): tests and tools. */
    public DuckDbParquetMerger() throws IOException {
        connection = DuckDb.openInMemory("TimeZone = 'UTC'", "threads = 1", "preserve_insertion_order = false");
    }

    /**
     * A merge sorts the day's rows; past {@code memoryLimit} the sort spills to {@code spillDirectory}, and a merge
     * that cannot fit even so fails (the day's files stay) and is tried again.
     */
    public DuckDbParquetMerger(String memoryLimit, Path spillDirectory) throws IOException {
        connection = DuckDb.openInMemory("TimeZone = 'UTC'", "threads = 1", "preserve_insertion_order = false",
                DuckDb.memoryLimit(memoryLimit), DuckDb.spillDirectory(spillDirectory));
    }

    /** What this merger's database holds now (a gauge at {@code /q/metrics}). */
    public DuckDbMemory memory() {
        return new DuckDbMemory(connection);
    }

    @Override
    public synchronized long merge(List<Path> inputs, Path output) throws IOException {
        // No hive partitioning: the inputs' columns are copied as they are, and dt stays in the path only.
        // union_by_name keeps files written before a column was added.
        String files = "read_parquet(" + inputs.stream().map(p -> DuckDbParquetWriter.literal(p.toString()))
                .collect(Collectors.joining(", ", "[", "]")) + ", hive_partitioning = false, union_by_name = true)";
        try (Statement statement = connection.createStatement()) {
            long expected = count(statement, "SELECT count(*) FROM " + files);
            // Ordered by time, so that a row group's min/max statistics let a query over hours skip the others.
            statement.execute("COPY (SELECT * FROM " + files + " ORDER BY \"timestamp\") TO "
                    + DuckDbParquetWriter.literal(output.toString())
                    + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " + ROW_GROUP_ROWS + ")");
            long written = count(statement, "SELECT count(*) FROM read_parquet("
                    + DuckDbParquetWriter.literal(output.toString()) + ")");
            if (written != expected) {
                throw new IOException("Cannot merge " + inputs.size() + " files, because the merge holds " + written
                        + " records instead of " + expected);
            }
            DuckDbRollups.write(statement, "read_parquet(" + DuckDbParquetWriter.literal(output.toString()) + ")", output,
                    true);
            return written;
        } catch (SQLException e) {
            throw new IOException("Cannot merge Parquet files, because DuckDB failed: " + e.getMessage(), e);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
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
