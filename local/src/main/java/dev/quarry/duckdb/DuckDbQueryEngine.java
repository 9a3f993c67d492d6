package dev.quarry.duckdb;

import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * Runs canned queries with embedded DuckDB over the Parquet files under {@code logs/dt=YYYY-MM-DD/}. The table is
 * {@code read_parquet} over {@code dt=*}{@code /*.parquet} with hive partitioning ({@code dt} a VARCHAR, as on
 * Athena), so DuckDB prunes the days outside {@code dt BETWEEN ? AND ?} before opening a file, also with the
 * values bound as parameters. Staging files ({@code .quarry-*.parquet.tmp}) do not match; files appear whole, by
 * rename, and are never removed, so a query running during a flush sees each file whole or not at all.
 *
 * <p>Each query gets its own connection to one in-memory database, never the Parquet writer's connection.
 */
public final class DuckDbQueryEngine implements QueryEngine, AutoCloseable {
    private final Path logsDirectory;
    private final DuckDBConnection database;
    private final String parquetTable;
    /** Quarry never deletes a Parquet file, so once one exists the glob below can never match nothing again. */
    private volatile boolean anyFile;

    /**
     * The table when no Parquet file exists yet: {@code read_parquet} refuses a glob that matches nothing, and the
     * contract wants zero rows then.
     */
    static final String EMPTY_TABLE = "(SELECT CAST(NULL AS VARCHAR) AS source, CAST(NULL AS VARCHAR) AS logtype,"
            + " CAST(NULL AS TIMESTAMPTZ) AS \"timestamp\", CAST(NULL AS VARCHAR) AS message,"
            + " CAST(NULL AS MAP(VARCHAR, VARCHAR)) AS attributes, CAST(NULL AS TIMESTAMPTZ) AS received_at,"
            + " CAST(NULL AS VARCHAR) AS dt WHERE false)";

    public DuckDbQueryEngine(Path logsDirectory) throws IOException {
        this.logsDirectory = logsDirectory.toAbsolutePath().normalize();
        this.parquetTable = "read_parquet(" + DuckDbParquetWriter.literal(this.logsDirectory + "/dt=*/*.parquet")
                + ", hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})";
        try {
            database = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IOException("Cannot start DuckDB, because " + e.getMessage(), e);
        }
    }

    @Override
    public List<List<Object>> run(BoundQuery query) throws QueryFailedException {
        String sql = query.sqlFor(tableReference());
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, query);
                ResultSet result = statement.executeQuery()) {
            int columns = query.query().columns().size();
            if (result.getMetaData().getColumnCount() != columns) {
                throw new QueryFailedException("Cannot run " + query.query().queryName() + ", because DuckDB returned "
                        + result.getMetaData().getColumnCount() + " columns for " + columns, null);
            }
            List<List<Object>> rows = new ArrayList<>();
            while (result.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 0; i < columns; i++) {
                    row.add(value(query.query().columns().get(i), result.getObject(i + 1)));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new QueryFailedException("DuckDB failed: " + e.getMessage(), e);
        }
    }

    /**
     * DuckDB's profile of the query (EXPLAIN ANALYZE, as JSON), run exactly as {@link #run} runs it: it names the
     * files the scan read ({@code "Total Files Read"}, {@code "Filename(s)"}).
     */
    public String profile(BoundQuery query) throws QueryFailedException {
        String sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + query.sqlFor(tableReference());
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, query);
                ResultSet result = statement.executeQuery()) {
            StringBuilder profile = new StringBuilder();
            while (result.next()) {
                profile.append(result.getString(result.getMetaData().getColumnCount()));
            }
            return profile.toString();
        } catch (SQLException e) {
            throw new QueryFailedException("DuckDB failed: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = database.duplicate();
        try (Statement statement = connection.createStatement()) {
            // date_trunc('hour', ...) on a TIMESTAMPTZ truncates in the session's time zone; hours are UTC hours.
            statement.execute("SET TimeZone = 'UTC'");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static PreparedStatement prepare(Connection connection, String sql, BoundQuery query) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        List<String> parameters = query.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            statement.setString(i + 1, parameters.get(i));
        }
        return statement;
    }

    String tableReference() {
        if (!anyFile) {
            anyFile = anyParquetFile();
        }
        return anyFile ? parquetTable : EMPTY_TABLE;
    }

    private boolean anyParquetFile() {
        if (!Files.isDirectory(logsDirectory)) {
            return false;
        }
        try (DirectoryStream<Path> days = Files.newDirectoryStream(logsDirectory, "dt=*")) {
            for (Path day : days) {
                if (Files.isDirectory(day)) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(day, "*.parquet")) {
                        for (Path file : files) {
                            if (Files.isRegularFile(file)) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + logsDirectory, e);
        }
    }

    private static Object value(CannedQuery.Column column, Object value) throws QueryFailedException {
        if (value == null) {
            return null;
        }
        return switch (column.type()) {
            case VARCHAR -> value.toString();
            case BIGINT -> {
                if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                    yield ((Number) value).longValue();
                }
                if (value instanceof BigInteger big) {
                    yield big.longValueExact();
                }
                throw new QueryFailedException("Column " + column.name() + " came back as " + value.getClass().getName()
                        + ", not a BIGINT", null);
            }
            case HOUR -> {
                if (value instanceof OffsetDateTime time) {
                    yield time.toInstant();
                }
                throw new QueryFailedException("Column " + column.name() + " came back as " + value.getClass().getName()
                        + ", not a TIMESTAMP WITH TIME ZONE", null);
            }
        };
    }

    @Override
    public void close() {
        try {
            database.close();
        } catch (SQLException e) {
            // Closing an in-memory database loses nothing.
        }
    }
}
