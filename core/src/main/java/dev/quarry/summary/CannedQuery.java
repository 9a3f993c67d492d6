package dev.quarry.summary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The canned summaries. Each one's SQL lives once, in {@code sql/<name>.sql} at the repository top level
 * (packaged as {@value #RESOURCE_PREFIX}{@code <name>.sql}), and runs unchanged on Athena and DuckDB: only
 * {@value #TABLE_TOKEN} is replaced by the engine's table reference, and {@value #LIMIT_TOKEN} by a validated
 * integer literal. Here each query states what its SQL needs: its output columns, the values its {@code ?}
 * placeholders take (in order), and which request parameters it accepts.
 */
public enum CannedQuery {
    VOLUME_BY_DAY("volume-by-day",
            List.of(Column.varchar("dt"), Column.bigint("events")),
            List.of(Parameter.FROM, Parameter.TO, Parameter.SOURCE, Parameter.SOURCE, Parameter.LOGTYPE,
                    Parameter.LOGTYPE),
            null, false),
    EVENTS_BY_LOGTYPE("events-by-logtype",
            List.of(Column.varchar("dt"), Column.varchar("logtype"), Column.bigint("events")),
            List.of(Parameter.FROM, Parameter.TO, Parameter.SOURCE, Parameter.SOURCE, Parameter.LOGTYPE,
                    Parameter.LOGTYPE),
            null, false),
    EVENTS_BY_SOURCE("events-by-source",
            List.of(Column.varchar("source"), Column.bigint("events"), Column.bigint("errors")),
            List.of(Parameter.FROM, Parameter.TO, Parameter.SOURCE, Parameter.SOURCE, Parameter.LOGTYPE,
                    Parameter.LOGTYPE),
            null, false),
    /**
     * Counts logtype {@code error} only, so it takes no {@code logtype} parameter; the range bounds the timestamps as
     * well as the days read.
     */
    ERRORS_BY_HOUR("errors-by-hour",
            List.of(Column.hour("hour"), Column.bigint("events")),
            List.of(Parameter.FROM, Parameter.TO, Parameter.FROM, Parameter.TO, Parameter.SOURCE, Parameter.SOURCE),
            null, false),
    TOP_MESSAGES("top-messages",
            List.of(Column.varchar("message"), Column.bigint("events")),
            List.of(Parameter.FROM, Parameter.TO, Parameter.LOGTYPE, Parameter.SOURCE, Parameter.SOURCE),
            "error", true);

    public static final String RESOURCE_PREFIX = "quarry/sql/";
    public static final String TABLE_TOKEN = "{{logs}}";
    public static final String LIMIT_TOKEN = "{{limit}}";

    /** The value bound to a placeholder. */
    public enum Parameter {
        /** The first day, {@code YYYY-MM-DD}, compared with the {@code dt} partition column (a string on both engines). */
        FROM,
        TO,
        /** The source filter, or {@code ''} for none (the SQL reads {@code (? = '' OR source = ?)}). */
        SOURCE,
        /** The logtype filter, or {@code ''} for none; for a query with a default logtype, the logtype itself. */
        LOGTYPE
    }

    /** How a column's values come from the engine and go into JSON. */
    public enum ColumnType {
        /** A {@link String}. */
        VARCHAR,
        /** A {@link Long}, written as a JSON integer. */
        BIGINT,
        /** An {@link java.time.Instant} on a whole UTC hour, written as {@code YYYY-MM-DDTHH:00:00Z}. */
        HOUR
    }

    public record Column(String name, ColumnType type) {
        static Column varchar(String name) {
            return new Column(name, ColumnType.VARCHAR);
        }

        static Column bigint(String name) {
            return new Column(name, ColumnType.BIGINT);
        }

        static Column hour(String name) {
            return new Column(name, ColumnType.HOUR);
        }
    }

    /** The logtype errors-by-hour and events-by-source's {@code errors} count (the SQL under sql/ says it too). */
    public static final String ERROR_LOGTYPE = "error";

    private final String queryName;
    private final List<Column> columns;
    private final List<Parameter> parameters;
    private final String defaultLogtype;
    private final boolean takesLimit;
    private volatile String sql;

    CannedQuery(String queryName, List<Column> columns, List<Parameter> parameters, String defaultLogtype,
            boolean takesLimit) {
        this.queryName = queryName;
        this.columns = columns;
        this.parameters = parameters;
        this.defaultLogtype = defaultLogtype;
        this.takesLimit = takesLimit;
    }

    /** The name in {@code GET /summary/{query}} and of the SQL file. */
    public String queryName() {
        return queryName;
    }

    public List<Column> columns() {
        return columns;
    }

    /** What each {@code ?} of the SQL is bound to, in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public boolean acceptsLogtype() {
        return parameters.contains(Parameter.LOGTYPE);
    }

    public boolean acceptsSource() {
        return parameters.contains(Parameter.SOURCE);
    }

    /** The logtype counted when the request names none, or empty when then every logtype counts. */
    public Optional<String> defaultLogtype() {
        return Optional.ofNullable(defaultLogtype);
    }

    public boolean takesLimit() {
        return takesLimit;
    }

    public static Optional<CannedQuery> byName(String name) {
        return Arrays.stream(values()).filter(q -> q.queryName.equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(CannedQuery::queryName).collect(Collectors.joining(", "));
    }

    public String resource() {
        return RESOURCE_PREFIX + queryName + ".sql";
    }

    /**
     * The SQL as sent to an engine, with {@value #TABLE_TOKEN} and (for {@link #takesLimit()}) {@value #LIMIT_TOKEN}
     * still in it; the leading comment lines of the file are left out.
     */
    public String sql() {
        String loaded = sql;
        if (loaded == null) {
            loaded = withoutLeadingComments(load(resource()));
            sql = loaded;
        }
        return loaded;
    }

    /** The file as stored, comments included. */
    public static String load(String resource) {
        try (InputStream in = CannedQuery.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Cannot load a canned query, because " + resource
                        + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the canned query " + resource, e);
        }
    }

    public static String withoutLeadingComments(String text) {
        StringBuilder body = new StringBuilder();
        boolean leading = true;
        for (String line : text.split("\n", -1)) {
            if (leading && (line.isBlank() || line.stripLeading().startsWith("--"))) {
                continue;
            }
            leading = false;
            body.append(line).append('\n');
        }
        return body.toString().strip();
    }
}
