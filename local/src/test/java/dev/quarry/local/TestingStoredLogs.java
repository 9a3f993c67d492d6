package dev.quarry.local;

import dev.quarry.local.table.LiveFiles;
import dev.quarry.local.table.TableState;
import dev.quarry.sql.SqlLiteral;
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

/**
 * Reads what the pipeline stored with DuckDB outside the server: {@link #read} the table's live files (the manifest
 * snapshot, as {@code scripts/sql} reads them), {@link #readDirectory} every file under {@code logs/dt=*}{@code
 * /*.parquet}, as a user's own glob does (which, for the grace period after a merge, holds the merged-away files too).
 */
public final class TestingStoredLogs {
    private TestingStoredLogs() {
    }

    public record Stored(LocalDate dt, String source, String logtype, Instant timestamp, String message,
            Map<String, String> attributes, Instant receivedAt, byte[] messageBytes) {
    }

    public static List<Stored> read(Path dataDir) throws Exception {
        Path logs = dataDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return new ArrayList<>();
        }
        List<LocalDate> days;
        try (var stream = Files.list(logs)) {
            days = stream.map(TableState::dayOf).filter(day -> day != null).sorted().toList();
        }
        if (days.isEmpty()) {
            return new ArrayList<>();
        }
        List<Path> files = LiveFiles.forDays(dataDir, days.get(0), days.get(days.size() - 1));
        return files.isEmpty() ? new ArrayList<>() : query(files.stream()
                .map(p -> SqlLiteral.quote(p.toString()))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]")));
    }

    /** The messages of {@link #read}, in its order. */
    public static List<String> messages(Path dataDir) throws Exception {
        return read(dataDir).stream().map(Stored::message).toList();
    }

    public static List<Stored> readDirectory(Path dataDir) throws Exception {
        Path logs = dataDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return new ArrayList<>();
        }
        boolean any;
        try (var stream = Files.walk(logs, 2)) {
            any = stream.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        }
        if (!any) {
            return new ArrayList<>();
        }
        return query(SqlLiteral.quote(logs + "/dt=*/*.parquet"));
    }

    @SuppressWarnings("unchecked")
    private static List<Stored> query(String files) throws Exception {
        List<Stored> rows = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet result = statement.executeQuery("SELECT dt, source, logtype, \"timestamp\", message,"
                    + " attributes, received_at, encode(message) FROM read_parquet(" + files
                    + ", hive_partitioning = true, hive_types = {'dt': VARCHAR})")) {
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
