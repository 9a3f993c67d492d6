package dev.quarry.duckdb;

import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.table.DataLayout;
import dev.quarry.sql.SqlLiteral;
import dev.quarry.summary.QueryEngine;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code scripts/sql}: sqlline (a well-kept JDBC shell) over embedded DuckDB with a {@code logs} view over exactly
 * the files a summary reads ({@link DuckDbQueryEngine#tableReference(LocalDate, LocalDate)} over every day present).
 * The view is made again before each statement, so a statement sees the files as they are then (compaction may
 * have replaced some). Read-only: the connection can read the logs directory and nothing else, and writes no file.
 * Takes no lock: the server may run.
 */
public final class SqlShell {
    static final String URL_PREFIX = "jdbc:quarry:";
    private static final Set<String> STATEMENT_FACTORIES = Set.of("createStatement", "prepareStatement",
            "prepareCall");

    private SqlShell() {
    }

    public static void main(String[] args) throws Exception {
        String format = "table";
        String statement = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--format" -> {
                    format = i + 1 < args.length ? args[++i] : "";
                    if (!Set.of("table", "csv", "json").contains(format)) {
                        System.err.println("sql: --format must be table, csv or json");
                        System.exit(2);
                    }
                }
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return;
                }
                default -> {
                    if (statement != null || args[i].startsWith("--")) {
                        System.err.println("sql: unexpected argument " + args[i] + "\n" + usage());
                        System.exit(2);
                    }
                    statement = args[i];
                }
            }
        }
        String dataDir = System.getenv().getOrDefault("QUARRY_DATA_DIR", "./data");
        Path logs = DataLayout.of(Path.of(dataDir).toAbsolutePath().normalize()).logs();
        DriverManager.registerDriver(new QuarryDriver());
        List<String> shell = new ArrayList<>(List.of("-u", URL_PREFIX + logs, "-n", "", "-p", "",
                "--outputFormat=" + format, "--csvQuoteCharacter='\"'", "--fastConnect=true", "--verbose=false", "--maxWidth=" + System.getenv()
                        .getOrDefault("COLUMNS", "160")));
        if (statement != null) {
            // One statement runs here, not through sqlline: sqlline prints an -e statement's error twice (the
            // first copy DuckDB's "closed pending query result") and quotes every CSV value, numbers too.
            System.exit(runOne(logs, statement, format, System.out, System.err));
        }
        sqlline.SqlLine.Status status = sqlline.SqlLine.start(shell.toArray(String[]::new), null, false);
        System.exit(status == sqlline.SqlLine.Status.OK ? 0 : 1);
    }

    /** Runs one statement and prints its rows in the format; an error is one line on {@code err}. Exit status. */
    static int runOne(Path logs, String sql, String format, java.io.PrintStream out, java.io.PrintStream err) {
        // Prepared first: DuckDB reports a statement's parser or binder error when it is prepared; a plain
        // Statement.execute reports only "Attempting to execute an unsuccessful or closed pending query result".
        try (Connection connection = open(logs); java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            if (!statement.execute()) {
                return 0;
            }
            try (java.sql.ResultSet rows = statement.getResultSet()) {
                java.sql.ResultSetMetaData meta = rows.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
                List<List<Object>> values = new ArrayList<>();
                while (rows.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(plain(rows.getObject(i)));
                    }
                    values.add(row);
                }
                out.print(render(columns, values, format));
                out.flush();
            }
            return 0;
        } catch (SQLException | IOException e) {
            String message = String.valueOf(e.getMessage()).strip();
            err.println("sql: " + message.lines().findFirst().orElse(message));
            return 1;
        }
    }

    /** A JDBC value as JSON and CSV take it: numbers and booleans as they are, maps and lists kept, the rest text. */
    private static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof java.util.Map<?, ?> map) {
            java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof java.sql.Array array) {
            try {
                return java.util.Arrays.stream((Object[]) array.getArray()).map(SqlShell::plain).toList();
            } catch (SQLException e) {
                return value.toString();
            }
        }
        return value.toString();
    }

    static String render(List<String> columns, List<List<Object>> rows, String format) throws IOException {
        return switch (format) {
            case "json" -> {
                List<java.util.Map<String, Object>> objects = new ArrayList<>();
                for (List<Object> row : rows) {
                    java.util.Map<String, Object> object = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        object.put(columns.get(i), row.get(i));
                    }
                    objects.add(object);
                }
                yield JSON.writeValueAsString(objects) + "\n";
            }
            case "csv" -> {
                com.fasterxml.jackson.dataformat.csv.CsvSchema.Builder schema =
                        com.fasterxml.jackson.dataformat.csv.CsvSchema.builder().setUseHeader(true);
                columns.forEach(schema::addColumn);
                List<List<Object>> cells = rows.stream().map(row -> row.stream()
                        .map(v -> v instanceof java.util.Map<?, ?> || v instanceof List<?> ? json(v) : v).toList())
                        .toList();
                yield CSV.writer(schema.build()).writeValueAsString(cells);
            }
            default -> table(columns, rows);
        };
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Columns padded to their widest value, a rule under the header, the row count last. */
    private static String table(List<String> columns, List<List<Object>> rows) {
        List<List<String>> text = new ArrayList<>();
        text.add(columns);
        for (List<Object> row : rows) {
            text.add(row.stream().map(v -> v == null ? "NULL" : v instanceof String s ? s
                    : v instanceof java.util.Map<?, ?> || v instanceof List<?> ? json(v) : v.toString()).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> line : text) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < text.size(); r++) {
            for (int i = 0; i < widths.length; i++) {
                out.append(i == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, widths[i]) + "s", text.get(r).get(i)));
            }
            out.append('\n');
            if (r == 0) {
                for (int i = 0; i < widths.length; i++) {
                    out.append(i == 0 ? "" : "-+-").append("-".repeat(Math.max(1, widths[i])));
                }
                out.append('\n');
            }
        }
        out.append(rows.size()).append(rows.size() == 1 ? " row\n" : " rows\n");
        return out.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final com.fasterxml.jackson.dataformat.csv.CsvMapper CSV = new com.fasterxml.jackson.dataformat.csv.CsvMapper();

    static String usage() {
        return """
                usage: scripts/sql [--format table|csv|json] ["SELECT ..."]
                  SQL over the local store ($QUARRY_DATA_DIR, default ./data) with DuckDB, read-only.
                  The view logs has the columns source, logtype, timestamp, message, attributes, received_at and
                  dt (the UTC day, a VARCHAR as on Athena). Without a statement: an interactive shell (!quit ends).
                  example: scripts/sql "SELECT logtype, count(*) FROM logs WHERE dt = '$(date -u +%F)' GROUP BY 1"
                """;
    }

    /** The days under {@code logs/}, first and last; null when there is none. */
    static LocalDate[] dayRange(Path logs) throws IOException {
        LocalDate first = null;
        LocalDate last = null;
        if (Files.isDirectory(logs)) {
            try (DirectoryStream<Path> days = Files.newDirectoryStream(logs, PartitionKeys.DIRECTORY_PREFIX + "*")) {
                for (Path day : days) {
                    Optional<LocalDate> parsed = PartitionKeys.dayOfDirectory(day.getFileName().toString());
                    if (parsed.isEmpty()) {
                        continue;
                    }
                    LocalDate date = parsed.get();
                    first = first == null || date.isBefore(first) ? date : first;
                    last = last == null || date.isAfter(last) ? date : last;
                }
            }
        }
        return first == null ? null : new LocalDate[] {first, last};
    }

    /** Opens a read-only DuckDB connection whose {@code logs} view is refreshed before each statement. */
    static Connection open(Path logs) throws SQLException {
        DuckDbQueryEngine engine;
        try {
            engine = new DuckDbQueryEngine(logs);
        } catch (IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
        Connection connection = engine.connect();
        try (Statement setup = connection.createStatement()) {
            // DuckDB's sandbox: files only from the logs directory, no writes outside memory, settings frozen.
            setup.execute("SET allowed_directories = [" + SqlLiteral.quote(logs.toString() + "/") + "]");
            setup.execute("SET enable_external_access = false");
            setup.execute("SET lock_configuration = true");
        }
        refresh(engine, connection, logs);
        return (Connection) Proxy.newProxyInstance(SqlShell.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    if (STATEMENT_FACTORIES.contains(method.getName())) {
                        refresh(engine, connection, logs);
                    } else if (method.getName().equals("setReadOnly")) {
                        return null;
                    } else if (method.getName().equals("isReadOnly")) {
                        return true;
                    } else if (method.getName().equals("close")) {
                        engine.close();
                    }
                    Object result = invoke(connection, method, arguments);
                    return result instanceof Statement statement ? quietWarnings(statement) : result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] arguments)
            throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * DuckDB closes a statement that failed, and then answers sqlline's {@code getWarnings} with "Statement was
     * closed", which sqlline prints instead of the real error: a closed statement has no warnings.
     */
    private static Statement quietWarnings(Statement statement) {
        Class<?>[] interfaces = statement instanceof java.sql.PreparedStatement
                ? new Class<?>[] {java.sql.PreparedStatement.class} : new Class<?>[] {Statement.class};
        return (Statement) Proxy.newProxyInstance(SqlShell.class.getClassLoader(), interfaces,
                (proxy, method, arguments) -> {
                    if ((method.getName().equals("getWarnings") || method.getName().equals("clearWarnings"))
                            && statement.isClosed()) {
                        return null;
                    }
                    return invoke(statement, method, arguments);
                });
    }

    private static void refresh(DuckDbQueryEngine engine, Connection connection, Path logs) throws SQLException {
        String table;
        try {
            LocalDate[] range = dayRange(logs);
            table = range == null ? DuckDbSchema.EMPTY_TABLE : engine.tableReference(range[0], range[1]);
        } catch (IOException | QueryEngine.QueryFailedException e) {
            throw new SQLException("Cannot list the files under " + logs + ": " + e.getMessage(), e);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE TEMPORARY VIEW logs AS SELECT * FROM " + table);
        }
    }

    /** {@code jdbc:quarry:<logs directory>} for sqlline, which connects through {@link DriverManager}. */
    public static final class QuarryDriver implements Driver {
        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            return acceptsURL(url) ? open(Path.of(url.substring(URL_PREFIX.length()))) : null;
        }

        @Override
        public boolean acceptsURL(String url) {
            return url != null && url.startsWith(URL_PREFIX);
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }
}
