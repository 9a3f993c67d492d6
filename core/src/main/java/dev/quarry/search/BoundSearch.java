package dev.quarry.search;

import dev.quarry.summary.CannedQuery;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code sql/search.sql} ready to run: the offset and the limit written in, one value for each {@code ?}, in order.
 *
 * @param sql still holding {@value CannedQuery#TABLE_TOKEN} for the engine to replace
 * @param firstDay the first {@code dt} the statement reads; an engine may read no partition before it
 * @param lastDay the last {@code dt} it reads
 * @param closed whether the range ended before yesterday (UTC), so an engine may reuse an earlier result
 * @param q the request's {@code q} ({@code ""} for none), also among the parameters: an engine may use it to skip
 *     files that cannot match
 * @param attributes the request's {@code attr.<key>=<value>} filters, also among the parameters, for the same use
 */
public record BoundSearch(String sql, List<String> parameters, LocalDate firstDay, LocalDate lastDay,
        boolean closed, String q, Map<String, String> attributes) {
    public BoundSearch {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(firstDay, "firstDay");
        Objects.requireNonNull(lastDay, "lastDay");
        Objects.requireNonNull(q, "q");
        parameters = List.copyOf(parameters);
        attributes = Map.copyOf(attributes);
    }

    /** The SQL with the engine's table reference in place of {@value CannedQuery#TABLE_TOKEN}. */
    public String sqlFor(String tableReference) {
        return sql.replace(CannedQuery.TABLE_TOKEN, tableReference);
    }
}
