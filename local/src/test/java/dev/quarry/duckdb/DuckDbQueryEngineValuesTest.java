package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statement {@code DuckDbQueryEngine} sends: each placeholder replaced by its value as a literal, in order. */
class DuckDbQueryEngineValuesTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-27");

    private static BoundQuery query(String sql, String... values) {
        return new BoundQuery(CannedQuery.VOLUME_BY_DAY, sql, List.of(values), DAY, DAY);
    }

    @Test
    void replaces_each_placeholder_in_order_with_a_quoted_literal() throws Exception {
        String sql = "SELECT 1 FROM t WHERE dt BETWEEN ? AND ? AND (? = '' OR source = ?)";

        assertThat(DuckDbQueryEngine.withValues(sql, query(sql, "2026-11-27", "2026-11-28", "", "o'brien?")))
                .isEqualTo("SELECT 1 FROM t WHERE dt BETWEEN '2026-11-27' AND '2026-11-28'"
                        + " AND ('' = '' OR source = 'o''brien?')");
    }

    @Test
    void leaves_question_marks_in_literals_identifiers_and_comments_alone() throws Exception {
        String sql = "SELECT '?', 'it''s ?', \"odd?\" -- why?\n FROM read_parquet(['/d/a?.parquet']) /* ? */"
                + " WHERE x = ?";

        assertThat(DuckDbQueryEngine.withValues(sql, query(sql, "v"))).isEqualTo(
                "SELECT '?', 'it''s ?', \"odd?\" -- why?\n FROM read_parquet(['/d/a?.parquet']) /* ? */"
                        + " WHERE x = 'v'");
    }

    @Test
    void refuses_sql_whose_placeholders_are_not_its_values() {
        assertThatThrownBy(() -> DuckDbQueryEngine.withValues("SELECT ? + ?", query("SELECT ? + ?", "1")))
                .isInstanceOf(QueryEngine.QueryFailedException.class).hasMessageContaining("more placeholders");
        assertThatThrownBy(() -> DuckDbQueryEngine.withValues("SELECT ?", query("SELECT ?", "1", "2")))
                .isInstanceOf(QueryEngine.QueryFailedException.class).hasMessageContaining("1 placeholders for 2");
    }
}
