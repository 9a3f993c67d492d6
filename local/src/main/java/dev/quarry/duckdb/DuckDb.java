package dev.quarry.duckdb;

import java.sql.SQLException;
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
        return (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
    }
}
