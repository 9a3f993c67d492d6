package dev.quarry.duckdb;

import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.table.DataLayout;
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
            shell.addAll(List.of("--silent=true", "--showHeader=true", "-e", statement));
            // sqlline prints every error of an -e statement with its stack trace ("init errors must be verbose");
            // the message line, ending in (state=...,code=...), is all a user needs.
            System.setErr(new java.io.PrintStream(new UntilStateLine(System.err), true, "UTF-8"));
        }
        sqlline.SqlLine.Status status = sqlline.SqlLine.start(shell.toArray(String[]::new), null, false);
        if (statement != null && format.equals("json")) {
            System.out.println(); // sqlline ends its JSON without a newline
        }
        System.exit(status == sqlline.SqlLine.Status.OK ? 0 : 1);
    }

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
            setup.execute("SET allowed_directories = [" + DuckDbParquetWriter.literal(logs.toString() + "/") + "]");
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
            table = range == null ? DuckDbQueryEngine.EMPTY_TABLE : engine.tableReference(range[0], range[1]);
        } catch (IOException | QueryEngine.QueryFailedException e) {
            throw new SQLException("Cannot list the files under " + logs + ": " + e.getMessage(), e);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE TEMPORARY VIEW logs AS SELECT * FROM " + table);
        }
    }

    /** Passes bytes through up to the end of the first line that ends an sqlline error message. */
    static final class UntilStateLine extends java.io.OutputStream {
        private static final java.util.regex.Pattern STATE = java.util.regex.Pattern.compile(
                "\\(state=[^,]*,code=-?[0-9]+\\)\\s*$");
        private final java.io.OutputStream out;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private boolean done;

        UntilStateLine(java.io.OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (done) {
                return;
            }
            line.write(b);
            if (b == '\n') {
                out.write(line.toByteArray());
                out.flush();
                done = STATE.matcher(line.toString(java.nio.charset.StandardCharsets.UTF_8)).find();
                line.reset();
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
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
