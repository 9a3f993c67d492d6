package dev.quarry.duckdb;

import dev.quarry.local.table.ParquetMerger;
import dev.quarry.sql.SqlLiteral;
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
     * Row groups are sized to about {@value #ROW_GROUPS_PER_FILE} per file, within {@value #MIN_ROW_GROUP_ROWS} and
     * {@value #MAX_ROW_GROUP_ROWS} rows (DuckDB's default row group, the most it parallelises a scan by:
     * https://duckdb.org/docs/stable/data/parquet/tips). With the rows sorted by (logtype, source, timestamp) each
     * row group holds a narrow range of those columns, so its min/max statistics let a scan skip the row groups a
     * logtype, source or time filter does not want; one row group per file (as before) could skip nothing inside a
     * day. Below 8,192 rows the per-row-group overhead (metadata, a dictionary per column) outweighs what is skipped.
     */
    static final int ROW_GROUPS_PER_FILE = 16;
    static final int MIN_ROW_GROUP_ROWS = 8_192;
    static final int MAX_ROW_GROUP_ROWS = 122_880;

    /** The row group size of a merged file of {@code records} rows. */
    static int rowGroupRows(long records) {
        return (int) Math.max(MIN_ROW_GROUP_ROWS, Math.min(MAX_ROW_GROUP_ROWS, records / ROW_GROUPS_PER_FILE));
    }

    /**
     * zstd's level for a file at rest (a quiet day's merge): measured over 30 days of 1.5 M bench records merged one
     * thread as the compactor does, level 3 (DuckDB's default, kept for flushes and tiered merges, which are
     * rewritten again soon) 28.1 MB in 1.9 s, 9 26.0 MB in 3.3 s, 12 25.6 MB in 5.0 s, 15 24.6 MB (−12 %) in 7.8 s
     * and 14 MiB more peak memory, 16 24.5 MB in 14.9 s, 19 24.1 MB in 34.6 s. 15 is the last level before the
     * time doubles: a 128 MB file at rest takes about 35 s of one core, within the storage contract's two minutes
     * for a quiet day (docs/performance.md, "Bytes"). Decompression speed does not depend on the level.
     */
    static final int AT_REST_ZSTD_LEVEL = 15;

    /** A TIMESTAMPTZ column as a millisecond timestamp, whatever the session's time zone. */
    private static final String MILLIS = "CAST(epoch_ms(epoch_ms(%s)) AS TIMESTAMP_MS)";

    private final DuckDBConnection connection;

    /** With DuckDB's own memory limit (80 % of the machine's memory): tests and tools. */
    public DuckDbParquetMerger() throws IOException {
        connection = DuckDb.openInMemoryStreaming("TimeZone = 'UTC'", "threads = 1",
                "preserve_insertion_order = false");
    }

    /**
     * A merge sorts the day's rows; past {@code memoryLimit} the sort spills to {@code spillDirectory}, and a merge
     * that cannot fit even so fails (the day's files stay) and is tried again.
     */
    public DuckDbParquetMerger(String memoryLimit, Path spillDirectory) throws IOException {
        connection = DuckDb.openInMemoryStreaming("TimeZone = 'UTC'", "threads = 1",
                "preserve_insertion_order = false", DuckDb.memoryLimit(memoryLimit),
                DuckDb.spillDirectory(spillDirectory));
    }

    /** What this merger's database holds now (a gauge at {@code /q/metrics}). */
    public DuckDbMemory memory() {
        return new DuckDbMemory(connection);
    }

    @Override
    public synchronized long merge(List<Path> inputs, Path output, boolean atRest) throws IOException {
        // No hive partitioning: the inputs' columns are copied as they are, and dt stays in the path only.
        // union_by_name keeps files written before a column was added.
        String files = "read_parquet(" + inputs.stream().map(p -> SqlLiteral.quote(p.toString()))
                .collect(Collectors.joining(", ", "[", "]")) + ", hive_partitioning = false, union_by_name = true)";
        try (Statement statement = connection.createStatement()) {
            long expected;
            boolean wholeMillis;
            try (ResultSet result = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE"
                    + " epoch_us(\"timestamp\") % 1000 <> 0 OR epoch_us(received_at) % 1000 <> 0) = 0 FROM " + files)) {
                result.next();
                expected = result.getLong(1);
                wholeMillis = result.getBoolean(2);
            }
            // At rest, timestamps that are all whole milliseconds (received_at always is; an event time is unless
            // a record sent microseconds) are stored as milliseconds: the same instants, still a UTC-adjusted Parquet
            // timestamp (read back as TIMESTAMPTZ), in fewer bytes. A file with any finer time keeps microseconds.
            String columns = atRest && wholeMillis ? "* REPLACE (" + MILLIS.formatted("\"timestamp\"") + " AS"
                    + " \"timestamp\", " + MILLIS.formatted("received_at") + " AS received_at)" : "*";
            // Ordered by (logtype, source, timestamp), the columns the summaries and searches filter on, in the
            // order of their selectivity's use: a row group's min/max statistics then prune by each of them.
            statement.execute("COPY (SELECT " + columns + " FROM " + files + " ORDER BY logtype, source,"
                    + " \"timestamp\") TO " + SqlLiteral.quote(output.toString())
                    + " (FORMAT parquet, COMPRESSION zstd"
                    + (atRest ? ", COMPRESSION_LEVEL " + AT_REST_ZSTD_LEVEL : "")
                    + (atRest && wholeMillis ? ", TIMESTAMP_IS_ADJUSTED_TO_UTC true" : "")
                    + ", ROW_GROUP_SIZE " + rowGroupRows(expected) + ")");
            long written = count(statement, "SELECT count(*) FROM read_parquet("
                    + SqlLiteral.quote(output.toString()) + ")");
            if (written != expected) {
                throw new IOException("Cannot merge " + inputs.size() + " files, because the merge holds " + written
                        + " records instead of " + expected);
            }
            DuckDbRollups.write(statement, "read_parquet(" + SqlLiteral.quote(output.toString()) + ")", output,
                    true);
            SearchIndex.write(statement, "read_parquet(" + SqlLiteral.quote(output.toString()) + ")", written,
                    output);
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
