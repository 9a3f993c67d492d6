package dev.quarry.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

class QueryToAthenaTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-11-26");

    @Test
    void strings_are_single_quoted_with_inner_quotes_doubled() {
        assertThat(QueryToAthena.literal("2026-11-26")).isEqualTo("'2026-11-26'");
        assertThat(QueryToAthena.literal("")).isEqualTo("''");
        assertThat(QueryToAthena.literal("o'brien")).isEqualTo("'o''brien'");
        assertThat(QueryToAthena.literal("''")).isEqualTo("''''''");
        assertThat(QueryToAthena.literal("a\\b \"c\" ?")).isEqualTo("'a\\b \"c\" ?'");
    }

    @Test
    void integers_are_written_as_their_digits() {
        assertThat(QueryToAthena.literal(10)).isEqualTo("10");
        assertThat(QueryToAthena.literal(5_000_000_000L)).isEqualTo("5000000000");
        assertThat(QueryToAthena.executionParameters(List.of("web", 3))).containsExactly("'web'", "3");
    }

    @Test
    void other_values_are_refused() {
        assertThatThrownBy(() -> QueryToAthena.literal(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryToAthena.literal(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_table_is_the_quoted_database_and_table() {
        AthenaConfig config = new AthenaConfig("analytics", "quarry_prod", "logs-v2", 60);
        assertThat(QueryToAthena.tableReference(config)).isEqualTo("\"quarry_prod\".\"logs-v2\"");
    }

    @Test
    void every_canned_query_leaves_no_token_behind() throws Exception {
        for (CannedQuery query : CannedQuery.values()) {
            BoundQuery bound = AthenaQueryEngineTest.bind(query, "from", "2026-11-20", "to", "2026-11-26");
            String sql = QueryToAthena.sql(bound, AthenaConfig.defaults());
            assertThat(sql).as(query.queryName()).contains("FROM \"quarry\".\"logs\"").doesNotContain("{{")
                    .doesNotContain("--");
            assertThat(sql.chars().filter(c -> c == '?').count()).as(query.queryName())
                    .isEqualTo(query.parameters().size());
        }
    }

    @Test
    void a_query_whose_limit_was_not_written_in_is_refused() {
        BoundQuery unbound = new BoundQuery(CannedQuery.TOP_MESSAGES, CannedQuery.TOP_MESSAGES.sql(),
                List.of("2026-11-20", "2026-11-26", "error", "", ""), TODAY, TODAY);
        assertThatThrownBy(() -> QueryToAthena.sql(unbound, AthenaConfig.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("top-messages");
    }

    @Test
    void result_reuse_follows_how_long_the_answer_may_be_cached() {
        int cap = AthenaConfig.MAX_RESULT_REUSE_MINUTES;
        assertThat(QueryToAthena.resultReuseMinutes(TODAY, TODAY, cap)).isEqualTo(1);
        assertThat(QueryToAthena.resultReuseMinutes(TODAY.minusDays(1), TODAY, cap)).isEqualTo(1);
        assertThat(QueryToAthena.resultReuseMinutes(TODAY.minusDays(2), TODAY, cap)).isEqualTo(60);
        assertThat(QueryToAthena.resultReuseMinutes(TODAY.minusDays(16), TODAY, cap)).isEqualTo(10_080);
        assertThat(QueryToAthena.resultReuseMinutes(TODAY.minusDays(16), TODAY, 30)).isEqualTo(30);
        assertThat(QueryToAthena.resultReuseMinutes(TODAY, TODAY, 0)).isZero();
    }

    @Test
    void the_request_carries_workgroup_database_parameters_and_reuse() throws Exception {
        BoundQuery query = AthenaQueryEngineTest.bind(CannedQuery.ERRORS_BY_HOUR, "from", "2026-11-01", "to",
                "2026-11-02", "source", "o'brien");

        StartQueryExecutionRequest request = QueryToAthena.request(query,
                new AthenaConfig("analytics", "quarry_prod", "logs", 60), TODAY);

        assertThat(request.workGroup()).isEqualTo("analytics");
        assertThat(request.queryExecutionContext().database()).isEqualTo("quarry_prod");
        assertThat(request.queryString()).contains("FROM \"quarry_prod\".\"logs\"");
        assertThat(request.executionParameters()).containsExactly("'2026-11-01'", "'2026-11-02'", "'2026-11-01'",
                "'2026-11-02'", "'o''brien'", "'o''brien'");
        assertThat(request.resultReuseConfiguration().resultReuseByAgeConfiguration().maxAgeInMinutes()).isEqualTo(60);
    }
}
