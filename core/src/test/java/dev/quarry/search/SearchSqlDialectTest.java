package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryString;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.FunctionCall;
import io.trino.sql.tree.Limit;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.Offset;
import io.trino.sql.tree.Parameter;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.SingleColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code sql/search.sql} in Athena's dialect, checked offline with Trino's own parser, as the canned summaries are;
 * DuckDB runs it in the local module's tests.
 */
class SearchSqlDialectTest {
    /**
     * Functions search.sql may call: each was run on Trino 476 and DuckDB 1.5.6 with the same result. {@code try}:
     * Trino's subscript fails on a missing map key, DuckDB's gives NULL; wrapped in try() both give NULL.
     */
    static final Map<String, String> SHARED_FUNCTIONS = Map.of(
            "lower", "lower-case, on both",
            "strpos", "1-based position of a substring, 0 when absent, on both",
            "try", "the value, or NULL where evaluating it fails, on both",
            "array_sort", "the array in ascending order, on both (rows/structs field by field)",
            "map_entries", "the map's (key, value) pairs as an array of rows/structs, on both");

    private final SqlParser parser = new SqlParser();

    private Query parsed() {
        String sql = SearchSql.sql().replace(CannedQuery.TABLE_TOKEN, "\"quarry\".\"logs\"")
                .replace(SearchSql.OFFSET_TOKEN, "3").replace(CannedQuery.LIMIT_TOKEN, "37");
        return (Query) parser.createStatement(sql);
    }

    @Test
    void search_parses_as_trino_sql_with_placeholders_only_in_the_where_clause_one_per_bound_value() throws Exception {
        QuerySpecification body = (QuerySpecification) parsed().getQueryBody();
        BoundSearch bound = SearchSql.bind(SearchRequest.parse(QueryString.decode("q=x"),
                Instant.parse("2026-12-01T10:00:00Z")), false);

        assertThat(nodes(body, Parameter.class)).hasSize(bound.parameters().size())
                .hasSameSizeAs(nodes(body.getWhere().orElseThrow(), Parameter.class));
    }

    @Test
    void the_offset_and_the_limit_are_integer_literals() {
        Query query = parsed();

        assertThat(nodes(query, Limit.class)).singleElement()
                .satisfies(limit -> assertThat(limit.getRowCount()).isEqualTo(new LongLiteral("37")));
        assertThat(nodes(query, Offset.class)).singleElement()
                .satisfies(offset -> assertThat(offset.getRowCount()).isEqualTo(new LongLiteral("3")));
    }

    @Test
    void it_selects_the_row_fields_in_order() {
        List<String> aliases = new ArrayList<>();
        for (var item : ((QuerySpecification) parsed().getQueryBody()).getSelect().getSelectItems()) {
            SingleColumn column = (SingleColumn) item;
            aliases.add(column.getAlias().map(a -> a.getValue())
                    .orElseGet(() -> column.getExpression().toString().replace("\"", "")));
        }

        assertThat(aliases).containsExactly("timestamp", "dt", "source", "logtype", "message", "attributes");
    }

    @Test
    void every_function_called_is_one_both_engines_share() {
        Set<String> names = new TreeSet<>();
        for (FunctionCall call : nodes(parsed(), FunctionCall.class)) {
            names.add(call.getName().toString().toLowerCase(Locale.ROOT));
        }

        assertThat(names).isSubsetOf(SHARED_FUNCTIONS.keySet()).contains("strpos", "lower");
    }

    @Test
    void user_values_never_appear_in_the_sql_text() throws Exception {
        BoundSearch bound = SearchSql.bind(SearchRequest.parse(QueryString.decode(
                "source=x%27+OR+%271%27%3D%271&q=50%25_off&attr.request_id=r%27--"),
                Instant.parse("2026-12-01T10:00:00Z")), false);

        assertThat(bound.sql()).doesNotContain("x' OR").doesNotContain("50%_off").doesNotContain("r'--");
        assertThat(bound.parameters()).contains("x' OR '1'='1", "50%_off", "request_id", "r'--");
    }

    private static <T extends Node> List<T> nodes(Node root, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(root, type, found);
        return found;
    }

    private static <T extends Node> void collect(Node node, Class<T> type, List<T> found) {
        if (type.isInstance(node)) {
            found.add(type.cast(node));
        }
        for (Node child : node.getChildren()) {
            collect(child, type, found);
        }
    }
}
