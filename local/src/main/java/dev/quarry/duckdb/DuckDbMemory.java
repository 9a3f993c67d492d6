package dev.quarry.duckdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/**
 * What one in-memory database holds, as DuckDB's buffer manager counts it ({@code duckdb_memory()}: memory by tag, and
 * what it spilled to its temporary directory; https://duckdb.org/docs/stable/sql/meta/duckdb_table_functions). Read
 * on a connection of its own, so a gauge never waits for a long merge or flush holding the database's usual one.
 * Memory DuckDB's allocator keeps after freeing it is not counted: the process's resident memory minus the JVM's
 * (NMT) minus these is that.
 */
public final class DuckDbMemory {
    private final DuckDBConnection database;

    DuckDbMemory(DuckDBConnection database) {
        this.database = database;
    }

    /** Bytes in the buffer manager now; NaN once the database is closed. */
    public double memoryBytes() {
        return read("memory_usage_bytes");
    }

    /** Bytes spilled to the temporary directory now; NaN once the database is closed. */
    public double temporaryBytes() {
        return read("temporary_storage_bytes");
    }

    private double read(String column) {
        try (Connection connection = database.duplicate();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT sum(" + column + ") FROM duckdb_memory()")) {
            return result.next() ? result.getDouble(1) : Double.NaN;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
