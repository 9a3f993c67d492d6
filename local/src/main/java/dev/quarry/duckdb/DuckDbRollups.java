package dev.quarry.duckdb;

import dev.quarry.local.table.DataLayout;
import dev.quarry.summary.BoundQuery;
import dev.quarry.sql.SqlLiteral;
import dev.quarry.summary.CannedQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Per-file rollups for the canned summaries, written beside a table file in the step that writes it (flush or
 * merge) and named by the same manifest entry ({@code dev.quarry.local.table.LiveFiles}):
 * <ul>
 * <li>{@code hours}: {@code source, logtype, "timestamp"} (the UTC hour), {@code rollup_events}, grouped by the
 * first three, for volume-by-day, events-by-logtype, events-by-source and errors-by-hour;</li>
 * <li>{@code messages}: {@code source, logtype, message, rollup_events}, for top-messages, written by merges; left
 * out when it would hold more than half as many rows as the file (messages that rarely repeat), and then the file's
 * rows are read.</li>
 * </ul>
 * The file's {@code dt} comes from its directory, as for the table file. A summary reads the rollups of the files
 * that have one and the rows of those that have none, through the same {@code sql/*.sql} with each
 * {@code count(...)} made a sum of {@code rollup_events}: exact, because those queries filter on {@code dt},
 * {@code source}, {@code logtype} and whole-day timestamp bounds only, and group by nothing finer than an hour.
 */
public final class DuckDbRollups {
    static final String HOURS = "hours";
    static final String MESSAGES = "messages";
    /** The count column: a name no query's SQL uses, so that no alias ({@code AS events}) can shadow it. */
    static final String EVENTS = "rollup_events";
    private static final Pattern AGGREGATE = Pattern.compile(
            "\\b(sum|avg|min|max|any_value|arbitrary|approx_\\w+|array_agg|string_agg|listagg|list|first|last"
                    + "|count_if|bool_and|bool_or|stddev\\w*|var_\\w+|variance|median|quantile\\w*|mode|histogram)"
                    + "\\s*\\(|\\bdistinct\\b|\\bover\\s*\\(",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private DuckDbRollups() {
    }

    /**
     * Writes the rollups of {@code rows} (a table expression over one day's records, in a session whose time zone
     * is UTC) beside {@code dataFile}, if the layout names rollups for it; returns the kinds written. A flush writes
     * the hours rollup only ({@code messagesToo} false): its file holds seconds of records, whose messages seldom
     * repeat enough, and it is merged soon; the merge writes both.
     */
    static Set<String> write(Statement statement, String rows, Path dataFile, boolean messagesToo)
            throws SQLException, IOException {
        Set<String> written = new TreeSet<>();
        Path hours = DataLayout.rollup(dataFile, HOURS);
        if (hours == null) {
            return written;
        }
        copy(statement, "COPY (SELECT source, logtype, date_trunc('hour', \"timestamp\") AS \"timestamp\","
                + " count(*) AS " + EVENTS + " FROM " + rows + " GROUP BY ALL ORDER BY ALL) TO "
                + SqlLiteral.quote(hours.toAbsolutePath().toString()) + " (FORMAT parquet, COMPRESSION zstd)");
        written.add(HOURS);
        if (!messagesToo) {
            return written;
        }
        // One statement: the groups, written only if there are at most half as many as rows (else none, and the
        // empty file is removed).
        Path messages = DataLayout.rollup(dataFile, MESSAGES);
        long groups = copy(statement, "COPY (WITH groups AS MATERIALIZED (SELECT source, logtype, message, count(*) AS "
                + EVENTS + " FROM " + rows + " GROUP BY ALL) SELECT * FROM groups WHERE (SELECT count(*) FROM groups)"
                + " * 2 <= (SELECT sum(" + EVENTS + ") FROM groups) ORDER BY ALL) TO "
                + SqlLiteral.quote(messages.toAbsolutePath().toString()) + " (FORMAT parquet, COMPRESSION zstd)");
        if (groups > 0) {
            written.add(MESSAGES);
        } else {
            Files.deleteIfExists(messages);
        }
        return written;
    }

    /** Runs a COPY; returns the rows it wrote. */
    private static long copy(Statement statement, String sql) throws SQLException {
        if (statement.execute(sql)) {
            try (ResultSet result = statement.getResultSet()) {
                return result.next() ? result.getLong(1) : 0;
            }
        }
        return statement.getUpdateCount();
    }

    /**
     * The kind of rollup that answers {@code query} exactly, or null when none does: {@code messages} for SQL that
     * reads {@code message} (and no timestamp), {@code hours} for SQL that reads neither message nor anything finer
     * than an hour. Also null when a timestamp bound is not a whole day and when the SQL aggregates other than by
     * {@code count}. An unfiltered volume-by-day, which reads no column but {@code dt}, reads the rollups too: over
     * the bench's 30 compacted days its statement took 3.2 ms p50 over the hours rollups against 6.8 over the files'
     * row counts (DuckDB opens each data file's footer, 16 row groups of 7 columns), equal over one day
     * ({@code SummaryProfile}).
     */
    static String kindFor(BoundQuery query) {
        String sql = withoutComments(query.sql()).toLowerCase(Locale.ROOT);
        if (AGGREGATE.matcher(sql).find() || sql.contains("attributes") || sql.contains("received_at")
                || !sql.contains("count(")) {
            return null;
        }
        List<CannedQuery.Parameter> parameters = query.query().parameters();
        for (int i = 0; i < parameters.size(); i++) {
            CannedQuery.Parameter parameter = parameters.get(i);
            if ((parameter == CannedQuery.Parameter.FROM || parameter == CannedQuery.Parameter.TO)
                    && !DAY.matcher(query.parameters().get(i)).matches()) {
                return null;
            }
        }
        boolean message = sql.matches("(?s).*\\bmessage\\b.*");
        boolean timestamp = sql.contains("\"timestamp\"");
        if (message) {
            return timestamp ? null : MESSAGES;
        }
        if (timestamp && !hourly(sql)) {
            return null;
        }
        return HOURS;
    }

    /** Every use of the timestamp is an hour (date_trunc) or a bound compared with it. */
    private static boolean hourly(String sql) {
        String rest = sql.replace("date_trunc('hour', \"timestamp\")", "")
                .replace("\"timestamp\" >= cast(? as timestamp)", "")
                .replace("\"timestamp\" < cast(? as timestamp) + interval '1' day", "");
        return !rest.contains("\"timestamp\"");
    }

    /**
     * The SQL over rollups: each {@code count(*)} becomes the sum of the groups' counts, each {@code count(x)} the
     * sum over the groups where {@code x} is not null (zero when there are none, as a count is).
     */
    static String overRollups(String sql) {
        StringBuilder out = new StringBuilder();
        String lower = sql.toLowerCase(Locale.ROOT);
        int at = 0;
        while (true) {
            int start = lower.indexOf("count(", at);
            if (start < 0) {
                out.append(sql.substring(at));
                return out.toString();
            }
            if (start > 0 && Character.isLetterOrDigit(lower.charAt(start - 1))) {
                out.append(sql, at, start + 6);
                at = start + 6;
                continue;
            }
            int depth = 1;
            int end = start + 6;
            while (depth > 0) {
                char c = sql.charAt(end++);
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            String argument = sql.substring(start + 6, end - 1).strip();
            out.append(sql, at, start);
            if (argument.equals("*")) {
                out.append("CAST(sum(").append(EVENTS).append(") AS BIGINT)");
            } else {
                out.append("CAST(coalesce(sum(CASE WHEN (").append(argument).append(") IS NOT NULL THEN ")
                        .append(EVENTS).append(" END), 0) AS BIGINT)");
            }
            at = end;
        }
    }

    /**
     * The table a summary of {@code kind} reads: the rollups (SQL literals) and the rows of the files without one,
     * with the columns that kind keeps.
     */
    static String table(String kind, List<String> rollups, List<String> rowFiles) {
        String columns = kind.equals(HOURS) ? "source, logtype, \"timestamp\", dt" : "source, logtype, message, dt";
        StringBuilder table = new StringBuilder("(");
        if (!rollups.isEmpty()) {
            table.append("SELECT ").append(columns).append(", ").append(EVENTS).append(" FROM read_parquet([")
                    .append(String.join(", ", rollups)).append("], hive_partitioning = true,"
                            + " hive_types = {'dt': 'VARCHAR'})");
        }
        if (!rowFiles.isEmpty()) {
            if (!rollups.isEmpty()) {
                table.append(" UNION ALL ");
            }
            table.append("SELECT ").append(columns).append(", CAST(1 AS BIGINT) AS ").append(EVENTS)
                    .append(" FROM read_parquet([").append(String.join(", ", rowFiles))
                    .append("], hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})");
        }
        return table.append(")").toString();
    }

    private static String withoutComments(String sql) {
        return sql.replaceAll("--[^\n]*", "");
    }
}
