package dev.quarry.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads what the pipeline stored, as a user would: DuckDB over {@code logs/dt=*}{@code /*.parquet}. */
final class TestingStoredLogs {
    private TestingStoredLogs() {
    }

    record Stored(LocalDate dt, String source, String logtype, Instant timestamp, String message,
            Map<String, String> attributes, Instant receivedAt, byte[] messageBytes) {
    }

    @SuppressWarnings("unchecked")
    static List<Stored> read(Path dataDir) throws Exception {
        Path logs = dataDir.resolve("logs");
        List<Stored> rows = new ArrayList<>();
        if (!Files.isDirectory(logs)) {
            return rows;
        }
        boolean any;
        try (var stream = Files.walk(logs, 2)) {
            any = stream.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        }
        if (!any) {
            return rows;
        }
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet result = statement.executeQuery("SELECT dt, source, logtype, \"timestamp\", message,"
                    + " attributes, received_at, encode(message) FROM read_parquet('" + logs.toString().replace("'", "''")
                    + "/dt=*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})")) {
                while (result.next()) {
                    rows.add(new Stored(LocalDate.parse(result.getString(1)), result.getString(2),
                            result.getString(3), result.getObject(4, OffsetDateTime.class).toInstant(),
                            result.getString(5), (Map<String, String>) result.getObject(6),
                            result.getObject(7, OffsetDateTime.class).toInstant(), result.getBytes(8)));
                }
            }
        }
        return rows;
    }
}
