package dev.quarry.duckdb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.search.BoundSearch;
import dev.quarry.search.SearchEngine;
import dev.quarry.search.SearchRow;
import dev.quarry.sql.SqlLiteral;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Runs canned queries with embedded DuckDB over the Parquet files under {@code logs/dt=YYYY-MM-DD/}. The table is
 * {@code read_parquet} over exactly the {@code *.parquet} files of the days in the query's range, listed here, with
 * hive partitioning ({@code dt} a VARCHAR, as on Athena). Listing them here, rather than handing DuckDB a glob over
 * every day, is the pruning: DuckDB prunes a glob by {@code dt} too, but it still opens the first file of the glob,
 * whatever its day, to learn the schema. The files come from each day's manifest ({@link LiveFiles}), so a statement
 * running during a flush or a compaction sees each record exactly once.
 *
 * <p>Each query gets its own connection to one in-memory database, never the Parquet writer's connection.
 */
public final class DuckDbQueryEngine implements QueryEngine, SearchEngine, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path logsDirectory;
    private final DuckDBConnection database;
    private final String memoryLimit;

    public DuckDbQueryEngine(Path logsDirectory) throws IOException {
        this.logsDirectory = logsDirectory.toAbsolutePath().normalize();
        this.memoryLimit = null;
        this.answers = new AnswerCache(0);
        try {
            database = DuckDb.openInMemory();
        } catch (SQLException e) {
            throw new IOException("Cannot start DuckDB, because " + e.getMessage(), e);
        }
    }

    /**
     * Queries share {@code memoryLimit} (DuckDB's syntax, {@code 1GB}) and {@code threads}; what a query sorts or
     * groups beyond it spills to {@code spillDirectory}, and one that needs more memory even so fails with a
     * {@link QueryFailedException} that says so (the caller answers 503).
     */
    public DuckDbQueryEngine(Path logsDirectory, String memoryLimit, int threads, Path spillDirectory)
            throws IOException {
        this(logsDirectory, memoryLimit, threads, spillDirectory, 0);
    }

    /** ... and keeps the answers of up to {@code cachedAnswers} summary statements ({@link #answers}; 0: none). */
    public DuckDbQueryEngine(Path logsDirectory, String memoryLimit, int threads, Path spillDirectory,
            int cachedAnswers) throws IOException {
        this.logsDirectory = logsDirectory.toAbsolutePath().normalize();
        this.memoryLimit = memoryLimit;
        this.answers = new AnswerCache(cachedAnswers);
        database = DuckDb.openInMemory(DuckDb.memoryLimit(memoryLimit), "threads = " + threads,
                DuckDb.spillDirectory(spillDirectory));
    }

    /** What the queries' database holds now (a gauge at {@code /q/metrics}). */
    public DuckDbMemory memory() {
        return new DuckDbMemory(database);
    }

    /**
     * Summaries answered from memory: the statement {@link #run} sends names every file it reads (and its values as
     * literals), and a file, once written, never changes (each has a name of its own; a merge writes a new one), so
     * the same statement text always gives the same rows. A flush or merge of a day in the range changes its
     * manifest and so the text: the cache can never answer from data that has been replaced. A dashboard polling the
     * same summaries (every 5 s in the soak) then costs one manifest read each, not a query, until data arrives.
     */
    private final AnswerCache answers;

    @Override
    public List<List<Object>> run(BoundQuery query) throws QueryFailedException {
        String sql = withValues(sqlFor(query), query);
        List<List<Object>> cached = answers.get(sql);
        if (cached != null) {
            return cached;
        }
        List<List<Object>> rows = query(sql, query);
        answers.put(sql, rows);
        return rows;
    }

    /** Answers kept by {@link #run}, since this engine started. */
    public long answersFromCache() {
        return answers.hits();
    }

    private List<List<Object>> query(String sql, BoundQuery query) throws QueryFailedException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
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
                rows.add(Collections.unmodifiableList(row));
            }
            return Collections.unmodifiableList(rows);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private QueryFailedException failed(SQLException e) {
        if (memoryLimit != null && String.valueOf(e.getMessage()).contains("Out of Memory")) {
            return new QueryFailedException("The query needs more memory than the " + memoryLimit + " that queries"
                    + " may use (QUARRY_DUCKDB_QUERY_MEMORY_LIMIT); ask for fewer days or raise the limit", e);
        }
        return new QueryFailedException("DuckDB failed: " + e.getMessage(), e);
    }

    /**
     * Runs {@code sql/search.sql} over the live files of the range's days that may hold a match
     * ({@link #filesFor}). The files are named newest day first, so that the top-N of the
     * {@code ORDER BY "timestamp" DESC ... LIMIT} fills from the newest records and DuckDB's dynamic filter on the
     * timestamp lets it skip the older row groups by their statistics.
     */
    @Override
    public List<SearchRow> search(BoundSearch search) throws QueryFailedException {
        List<String> files = new ArrayList<>();
        for (Path file : filesFor(search)) {
            files.add(SqlLiteral.quote(file.toString()));
        }
        String table = readParquet(files);
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(search.sqlFor(table))) {
            List<String> parameters = search.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            List<SearchRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Object attributes = result.getObject(6);
                    rows.add(new SearchRow(result.getObject(1, OffsetDateTime.class).toInstant(), result.getString(2),
                            result.getString(3), result.getString(4), result.getString(5),
                            attributes == null ? Map.of() : JSON.readValue(attributes.toString(), STRING_MAP)));
                }
            }
            return rows;
        } catch (SQLException | IOException e) {
            throw new QueryFailedException("DuckDB failed: " + e.getMessage(), e);
        }
    }

    /**
     * The live files of the search's days, newest day first, less those whose search index says they hold no match
     * ({@link SearchIndex}): {@code lower(q)}, by DuckDB's {@code lower} as the statement applies it, gives the
     * interior tokens looked up.
     */
    List<Path> filesFor(BoundSearch search) throws QueryFailedException {
        List<LiveFiles.Live> live = new ArrayList<>();
        List<Path> days = new ArrayList<>();
        try {
            for (LocalDate day = search.lastDay(); !day.isBefore(search.firstDay()); day = day.minusDays(1)) {
                live.addAll(LiveFiles.forDaysWithRollups(logsDirectory.getParent(), day, day));
                days.add(DataLayout.of(logsDirectory.getParent()).day(day));
            }
        } catch (IOException e) {
            throw new QueryFailedException("Cannot read the live files of " + logsDirectory + ": " + e, e);
        }
        if (!useSearchIndex) {
            return live.stream().map(LiveFiles.Live::file).toList();
        }
        List<String> tokens = search.q().isEmpty() ? List.of() : SearchIndex.interiorTokens(lower(search.q()));
        return searchIndex.mayHold(live, days, tokens, search.attributes());
    }

    /** {@code lower(text)} as DuckDB computes it. */
    private String lower(String text) throws QueryFailedException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT lower(?)")) {
            statement.setString(1, text);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        } catch (SQLException e) {
            throw new QueryFailedException("DuckDB failed: " + e.getMessage(), e);
        }
    }

    private final SearchIndex searchIndex = new SearchIndex();

    /** Whether searches skip the files their index rules out (true unless a test compares with the full scan). */
    private volatile boolean useSearchIndex = true;

    /** For tests and the bench: {@code false} makes every search read every live file of its days. */
    public void useSearchIndex(boolean use) {
        useSearchIndex = use;
    }

    /** The bytes of search index the engine holds in memory (the filters of the files searched so far). */
    public long searchIndexBytes() {
        return searchIndex.cachedBytes();
    }

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    /**
     * DuckDB's profile of the query (EXPLAIN ANALYZE, as JSON), run exactly as {@link #run} runs it: it names the
     * files the scan read ({@code "Total Files Read"}, {@code "Filename(s)"}).
     */
    public String profile(BoundQuery query) throws QueryFailedException {
        String sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + withValues(sqlFor(query), query);
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            StringBuilder profile = new StringBuilder();
            while (result.next()) {
                profile.append(result.getString(result.getMetaData().getColumnCount()));
            }
            return profile.toString();
        } catch (SQLException e) {
            throw new QueryFailedException("DuckDB failed: " + e.getMessage(), e);
        }
    }

    Connection connect() throws SQLException {
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

    /**
     * {@code sql} with each {@code ?} replaced by the query's value as a literal ({@link BoundQuery#parameterLiterals},
     * as Athena's engine takes them), in order; a {@code ?} inside a quoted literal or identifier or a comment is
     * left alone. DuckDB plans a statement's literals, not its parameters: {@code ('' = '' OR source = '')} folds
     * away and {@code logtype = 'error'} or a timestamp bound is pushed into the Parquet scan, which then skips row
     * groups by their statistics. In-process over the bench's 30 compacted days ({@code SummaryProfile}) the five
     * summaries took 1–45 % less (errors-by-hour over 30 days 10.9 against 6.0 ms p50).
     */
    static String withValues(String sql, BoundQuery query) throws QueryFailedException {
        List<String> values = query.parameterLiterals();
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int next = 0;
        int at = 0;
        while (at < sql.length()) {
            char c = sql.charAt(at);
            int end = at + 1;
            if (c == '\'' || c == '"') {
                // A quoted literal or identifier; a doubled quote inside it is two adjacent quoted runs.
                int close = sql.indexOf(c, at + 1);
                end = close < 0 ? sql.length() : close + 1;
            } else if (c == '-' && sql.startsWith("--", at)) {
                int close = sql.indexOf('\n', at);
                end = close < 0 ? sql.length() : close + 1;
            } else if (c == '/' && sql.startsWith("/*", at)) {
                int close = sql.indexOf("*/", at + 2);
                end = close < 0 ? sql.length() : close + 2;
            } else if (c == '?') {
                if (next == values.size()) {
                    throw new QueryFailedException("Cannot run " + query.query().queryName() + ", because its SQL has"
                            + " more placeholders than its " + values.size() + " values", null);
                }
                out.append(values.get(next++));
                at = end;
                continue;
            }
            out.append(sql, at, end);
            at = end;
        }
        if (next != values.size()) {
            throw new QueryFailedException("Cannot run " + query.query().queryName() + ", because its SQL has " + next
                    + " placeholders for " + values.size() + " values", null);
        }
        return out.toString();
    }

    /**
     * {@code read_parquet} over the live files of the query's days, or an empty table when there are none. The
     * list is read from the days' manifests for each statement ({@link LiveFiles#forDays}), a snapshot: a compaction
     * committing meanwhile changes the next statement's list, and the files this one names stay on disk for the
     * grace period. Also the {@code logs} view of {@code scripts/sql} ({@link SqlShell}), so both read the same
     * files.
     */
    String tableReference(BoundQuery query) throws QueryFailedException {
        return tableReference(query.from(), query.to());
    }

    /**
     * The statement {@link #run} sends: over the rollups of the files that have one and the rows of the others
     * ({@link DuckDbRollups}) when the query allows it and some file of the range has a rollup of the kind it needs,
     * else the query's SQL over {@link #tableReference(BoundQuery)}, the files' rows.
     */
    String sqlFor(BoundQuery query) throws QueryFailedException {
        String kind = useRollups ? DuckDbRollups.kindFor(query) : null;
        if (kind == null) {
            return query.sqlFor(tableReference(query));
        }
        List<String> rollups = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try {
            for (LiveFiles.Live file : LiveFiles.forDaysWithRollups(logsDirectory.getParent(), query.from(),
                    query.to())) {
                Path rollup = file.rollup(kind);
                (rollup == null ? rows : rollups).add(SqlLiteral.quote((rollup == null ? file.file() : rollup)
                        .toString()));
            }
        } catch (IOException e) {
            throw new QueryFailedException("Cannot read the live files of " + logsDirectory + ": " + e, e);
        }
        if (rollups.isEmpty()) {
            return query.sqlFor(readParquet(rows));
        }
        return DuckDbRollups.overRollups(query.sql()).replace(CannedQuery.TABLE_TOKEN,
                DuckDbRollups.table(kind, rollups, rows));
    }

    /** Whether summaries read rollups where files have them (true unless a test compares with the rows). */
    private volatile boolean useRollups = true;

    /** For tests and the bench: {@code false} makes every summary read the files' rows, as before rollups. */
    public void useRollups(boolean use) {
        useRollups = use;
    }

    /** {@link #tableReference(BoundQuery)} for the days {@code from}..{@code to}. */
    String tableReference(LocalDate from, LocalDate to) throws QueryFailedException {
        List<String> files = new ArrayList<>();
        try {
            for (Path file : LiveFiles.forDays(logsDirectory.getParent(), from, to)) {
                files.add(SqlLiteral.quote(file.toString()));
            }
        } catch (IOException e) {
            throw new QueryFailedException("Cannot read the live files of " + logsDirectory + ": " + e, e);
        }
        return readParquet(files);
    }

    /** {@code read_parquet} over the files (SQL literals), or an empty table when there are none. */
    private static String readParquet(List<String> files) {
        if (files.isEmpty()) {
            // read_parquet refuses an empty list of files, and the contract wants zero rows then.
            return DuckDbSchema.EMPTY_TABLE;
        }
        return "read_parquet([" + String.join(", ", files) + "], hive_partitioning = true,"
                + " hive_types = " + DuckDbSchema.HIVE_TYPES + ")";
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
