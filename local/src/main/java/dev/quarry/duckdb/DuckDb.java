package dev.quarry.duckdb;

import dev.quarry.sql.SqlLiteral;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/** Opens in-memory DuckDB databases. */
final class DuckDb {
    private DuckDb() {
    }

    /**
     * A new in-memory database. Through the driver class itself, not {@code DriverManager}: that one hands a driver
     * only to the class loader that registered it first, which in tests and dev mode may be another Quarkus one.
     */
    static DuckDBConnection openInMemory() throws SQLException {
        return connect(new Properties());
    }

    private static DuckDBConnection connect(Properties properties) throws SQLException {
        return (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:", properties);
    }

    /**
     * The {@code SET} of a memory limit. DuckDB's default is 80 % of the machine's memory for each database, and
     * its buffer manager keeps what it once used up to that limit
     * (https://duckdb.org/docs/stable/configuration/overview#global-configuration-options): three databases in
     * one server could each grow to most of the machine. A statement needing more fails with an "Out of Memory
     * Error" instead (https://duckdb.org/docs/stable/guides/troubleshooting/oom_errors).
     */
    static String memoryLimit(String limit) {
        return "memory_limit = " + SqlLiteral.quote(limit);
    }

    /**
     * The {@code SET} of the directory a database spills to when a statement needs more than its memory limit. An
     * in-memory database's default is {@code .tmp} in the process's working directory
     * (https://duckdb.org/docs/stable/configuration/overview, {@code temp_directory}): the server keeps it inside the
     * data directory instead, one directory per database ({@code DataLayout.spill}).
     */
    static String spillDirectory(java.nio.file.Path directory) {
        return "temp_directory = " + SqlLiteral.quote(directory.toAbsolutePath().toString());
    }

    /**
     * Set on every database the server opens. DuckDB's allocator (jemalloc, inside the driver) keeps freed memory
     * for reuse; with its background threads it returns what stays unused to the system between tasks, so a server
     * that merges a large day does not keep that merge's peak resident for the rest of its life
     * (https://duckdb.org/docs/stable/configuration/overview, {@code allocator_background_threads}).
     */
    static final String ALLOCATOR_BACKGROUND_THREADS = "allocator_background_threads = true";

    /**
     * Set on every database the server opens. DuckDB's external file cache keeps what it read of each Parquet file in
     * the buffer manager, evicted only when the database's memory limit presses
     * (https://duckdb.org/docs/stable/configuration/overview, {@code enable_external_file_cache}). Every flush and
     * merge makes new files, which the merges and queries then read, and the entries of the files they replaced stay:
     * in a 2-hour soak the merge and query databases' buffer managers grew by about 0.4 and 0.3 MiB a minute between
     * tasks, towards their limits (256 MB and 1 GB). The files are local and the operating system's page cache holds
     * them already, so the cache saves nothing measurable (three summaries over a 3M-row file, best of 15, within
     * noise with and without).
     */
    static final String NO_EXTERNAL_FILE_CACHE = "enable_external_file_cache = false";

    /** A new in-memory database with these {@code SET} statements applied, or the reason it could not start. */
    static DuckDBConnection openInMemory(String... settings) throws IOException {
        return open(new Properties(), settings);
    }

    /**
     * {@link #openInMemory(String...)} whose result sets stream: the driver fetches a chunk at a time as the reader
     * advances instead of materialising the whole result first ({@code jdbc_stream_results}). The writer and the
     * merger read the tokens of every message so ({@link SearchIndex#write}).
     */
    static DuckDBConnection openInMemoryStreaming(String... settings) throws IOException {
        Properties properties = new Properties();
        properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        return open(properties, settings);
    }

    private static DuckDBConnection open(Properties properties, String... settings) throws IOException {
        try {
            DuckDBConnection connection = connect(properties);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET " + ALLOCATOR_BACKGROUND_THREADS);
                statement.execute("SET " + NO_EXTERNAL_FILE_CACHE);
                for (String setting : settings) {
                    statement.execute("SET " + setting);
                }
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        } catch (SQLException e) {
            throw new IOException("Cannot start DuckDB, because " + e.getMessage(), e);
        }
    }
}
