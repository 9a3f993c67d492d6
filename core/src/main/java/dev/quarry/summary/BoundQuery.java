package dev.quarry.summary;

import dev.quarry.sql.SqlLiteral;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A canned query ready to run: its SQL with the limit written in, and one value for each {@code ?}, in order.
 * The values are plain strings; the SQL compares them with string columns only.
 *
 * @param sql the SQL, still holding {@value CannedQuery#TABLE_TOKEN} for the engine to replace
 * @param from the first day ({@code dt}) the query reads; an engine may read no partition before it
 * @param to the last day the query reads; an engine may read no partition after it
 */
public record BoundQuery(CannedQuery query, String sql, List<String> parameters, LocalDate from, LocalDate to) {
    public BoundQuery {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        parameters = List.copyOf(parameters);
    }

    /**
     * The values as SQL literal text, in order, as Athena's {@code ExecutionParameters} take them (and Trino's
     * {@code EXECUTE ... USING}): single-quoted, inner quotes doubled ({@code o'brien} as {@code 'o''brien'}).
     */
    public List<String> parameterLiterals() {
        return parameters.stream().map(SqlLiteral::quote).toList();
    }

    /** The SQL with the engine's table reference in place of {@value CannedQuery#TABLE_TOKEN}. */
    public String sqlFor(String tableReference) {
        return sql.replace(CannedQuery.TABLE_TOKEN, tableReference);
    }
}
