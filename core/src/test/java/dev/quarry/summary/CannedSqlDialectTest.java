package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.BetweenPredicate;
import io.trino.sql.tree.ComparisonExpression;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.FunctionCall;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Limit;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.Parameter;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.Statement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Athena's dialect, checked offline: every canned query must parse with Trino's own parser (Athena engine v3 is
 * Trino), and may call only functions that Trino and DuckDB both have with the same meaning, since a parser cannot
 * tell DuckDB's {@code strftime} from Trino's {@code date_format}. DuckDB itself runs the same SQL in the local
 * module's tests.
 */
class CannedSqlDialectTest {
    /** As the Athena adapter will bind it: {@code "database"."table"}. */
    private static final String ATHENA_TABLE = "\"quarry\".\"logs\"";

    /**
     * Functions with the same name, arguments and result on Trino and DuckDB. Not {@code sum}: over integers it is a
     * bigint in Trino but a HUGEINT in DuckDB; not {@code strftime}/{@code date_format}: each exists on one engine only.
     */
    static final Map<String, String> SHARED_FUNCTIONS = Map.of(
            "count", "count(*) and count(x) (non-null x): bigint on both",
            "date_trunc", "date_trunc('hour' | 'day', timestamp): the timestamp truncated, on both",
            "coalesce", "the first non-null argument, on both",
            "min", "the least value, on both",
            "max", "the greatest value, on both");

    private final SqlParser parser = new SqlParser();

    @ParameterizedTest
    @EnumSource(CannedQuery.class)
    void every_canned_query_parses_as_trino_sql(CannedQuery query) {
        Statement statement = parser.createStatement(athenaSql(query));

        assertThat(statement).isInstanceOf(Query.class);
    }

    @ParameterizedTest
    @EnumSource(CannedQuery.class)
    void placeholders_appear_only_in_the_where_clause_and_match_the_declared_parameters(CannedQuery query) {
        QuerySpecification body = specification(query);
        List<Parameter> all = nodes(body, Parameter.class);
        List<Parameter> inWhere = nodes(body.getWhere().orElseThrow(), Parameter.class);

        assertThat(all).hasSize(query.parameters().size());
        assertThat(inWhere).hasSameSizeAs(all);
    }

    @ParameterizedTest
    @EnumSource(CannedQuery.class)
    void selected_columns_are_the_declared_columns_in_order(CannedQuery query) {
        List<String> aliases = new ArrayList<>();
        for (var item : specification(query).getSelect().getSelectItems()) {
            SingleColumn column = (SingleColumn) item;
            aliases.add(column.getAlias().map(a -> a.getValue())
                    .orElseGet(() -> column.getExpression().toString().replace("\"", "")));
        }

        assertThat(aliases).containsExactlyElementsOf(
                query.columns().stream().map(CannedQuery.Column::name).toList());
    }

    @ParameterizedTest
    @EnumSource(CannedQuery.class)
    void the_limit_is_an_integer_literal_only_where_the_query_takes_one(CannedQuery query) {
        Query parsed = (Query) parser.createStatement(athenaSql(query));
        List<Limit> limits = nodes(parsed, Limit.class);

        if (query.takesLimit()) {
            assertThat(limits).singleElement()
                    .satisfies(limit -> assertThat(limit.getRowCount()).isEqualTo(new LongLiteral("37")));
        } else {
            assertThat(limits).isEmpty();
            assertThat(query.sql()).doesNotContain(CannedQuery.LIMIT_TOKEN);
        }
    }

    @ParameterizedTest
    @EnumSource(CannedQuery.class)
    void every_function_called_is_one_both_engines_share(CannedQuery query) {
        assertThat(functionsCalled(athenaSql(query))).isSubsetOf(SHARED_FUNCTIONS.keySet()).isNotEmpty();
    }

    /**
     * errors-by-hour counts an hour only inside the range: besides {@code dt BETWEEN ? AND ?} (the pruning), the
     * timestamp is bounded by the first day's midnight and the midnight after the last day, both from parameters
     * bound to from and to, as a cast both engines share ({@code CAST('2026-03-01' AS timestamp)}).
     */
    @Test
    void errors_by_hour_bounds_the_timestamp_by_the_range_as_well_as_the_day() {
        Expression where = specification(CannedQuery.ERRORS_BY_HOUR).getWhere().orElseThrow();
        List<String> bounds = new ArrayList<>();
        for (ComparisonExpression comparison : nodes(where, ComparisonExpression.class)) {
            if (comparison.getLeft() instanceof Identifier identifier && identifier.getValue().equals("timestamp")) {
                bounds.add(comparison.getOperator().getValue() + " " + comparison.getRight());
            }
        }
        List<CannedQuery.Parameter> parameters = CannedQuery.ERRORS_BY_HOUR.parameters();

        assertThat(bounds).containsExactly(">= CAST(? AS timestamp)",
                "< (CAST(? AS timestamp) + INTERVAL '1' DAY)");
        assertThat(nodes(where, BetweenPredicate.class)).singleElement()
                .satisfies(between -> assertThat(between.getValue().toString()).isEqualTo("dt"));
        assertThat(parameters.subList(0, 4)).containsExactly(CannedQuery.Parameter.FROM, CannedQuery.Parameter.TO,
                CannedQuery.Parameter.FROM, CannedQuery.Parameter.TO);
    }

    @Test
    void the_function_check_catches_a_function_only_duck_db_has() {
        Set<String> called = functionsCalled(
                "SELECT strftime(\"timestamp\", '%Y-%m-%d %H') AS hour, count(*) FROM t WHERE dt = ? GROUP BY 1");

        assertThat(called).contains("strftime");
        assertThat(SHARED_FUNCTIONS).doesNotContainKey("strftime");
    }

    @Test
    void the_parser_refuses_duck_db_only_syntax() {
        assertThatThrownBy(() -> parser.createStatement("SELECT dt::VARCHAR FROM t"))
                .isInstanceOf(ParsingException.class);
        assertThatThrownBy(() -> parser.createStatement("SELECT x FROM t QUALIFY row_number() OVER () = 1"))
                .isInstanceOf(ParsingException.class);
    }

    @Test
    void sql_directory_holds_each_canned_query_once() throws IOException {
        Path sqlDirectory = Path.of("..", "sql");
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(sqlDirectory)) {
            list.forEach(p -> files.add(p.getFileName().toString()));
        }

        // Besides the canned queries, only the search (SearchSqlDialectTest) and the DDL for creating the table by
        // hand (checked by the deploy module).
        assertThat(files).containsExactlyInAnyOrderElementsOf(Stream.concat(
                Stream.of(CannedQuery.values()).map(q -> q.queryName() + ".sql"),
                Stream.of("search.sql", "create-table.sql")).toList());
    }

    @ParameterizedTest
    @EnumSource(CannedQuery.class)
    void user_values_never_appear_in_the_sql_text(CannedQuery query) {
        BoundQuery bound = new SummaryRequest(query, java.time.LocalDate.parse("2026-03-01"),
                java.time.LocalDate.parse("2026-03-03"), java.util.Optional.of("x' OR '1'='1"),
                query.acceptsLogtype() ? java.util.Optional.of("error") : java.util.Optional.empty(),
                query.takesLimit() ? java.util.Optional.of(5) : java.util.Optional.empty()).bind();

        assertThat(bound.sql()).doesNotContain("x' OR").doesNotContain("2026-03-01");
        assertThat(bound.parameters()).contains("x' OR '1'='1", "2026-03-01", "2026-03-03");
    }

    private String athenaSql(CannedQuery query) {
        return query.sql().replace(CannedQuery.TABLE_TOKEN, ATHENA_TABLE).replace(CannedQuery.LIMIT_TOKEN, "37");
    }

    private QuerySpecification specification(CannedQuery query) {
        Query parsed = (Query) parser.createStatement(athenaSql(query));
        return (QuerySpecification) parsed.getQueryBody();
    }

    private Set<String> functionsCalled(String sql) {
        Set<String> names = new TreeSet<>();
        for (FunctionCall call : nodes(parser.createStatement(sql), FunctionCall.class)) {
            names.add(call.getName().toString().toLowerCase(Locale.ROOT));
        }
        return names;
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
