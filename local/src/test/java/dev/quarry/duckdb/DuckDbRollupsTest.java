package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which summaries a rollup answers, and how their SQL is read over one. */
class DuckDbRollupsTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-27");

    private static BoundQuery bound(CannedQuery query, String from) {
        List<String> values = query.parameters().stream().map(p -> switch (p) {
            case FROM -> from;
            case TO -> DAY.toString();
            case SOURCE -> "web-1";
            case LOGTYPE -> "";
        }).toList();
        return new BoundQuery(query, query.sql().replace(CannedQuery.LIMIT_TOKEN, "10"), values, DAY, DAY);
    }

    @Test
    void every_summary_is_answered_by_a_rollup_top_messages_by_the_messages_one() {
        Map<CannedQuery, String> kinds = new java.util.EnumMap<>(CannedQuery.class);
        for (CannedQuery query : CannedQuery.values()) {
            kinds.put(query, DuckDbRollups.kindFor(bound(query, DAY.toString())));
        }
        assertThat(kinds).containsOnly(Map.entry(CannedQuery.VOLUME_BY_DAY, "hours"),
                Map.entry(CannedQuery.EVENTS_BY_LOGTYPE, "hours"), Map.entry(CannedQuery.EVENTS_BY_SOURCE, "hours"),
                Map.entry(CannedQuery.ERRORS_BY_HOUR, "hours"), Map.entry(CannedQuery.TOP_MESSAGES, "messages"));
    }

    @Test
    void volume_by_day_without_a_filter_reads_the_rollups_too() {
        List<String> values = List.of(DAY.toString(), DAY.toString(), "", "", "", "");
        BoundQuery unfiltered = new BoundQuery(CannedQuery.VOLUME_BY_DAY, CannedQuery.VOLUME_BY_DAY.sql(), values,
                DAY, DAY);
        assertThat(DuckDbRollups.kindFor(unfiltered)).isEqualTo("hours");
        BoundQuery byLogtype = new BoundQuery(CannedQuery.EVENTS_BY_LOGTYPE, CannedQuery.EVENTS_BY_LOGTYPE.sql(),
                values, DAY, DAY);
        assertThat(DuckDbRollups.kindFor(byLogtype)).isEqualTo("hours");
    }

    @Test
    void a_bound_that_is_not_a_whole_day_or_an_aggregate_other_than_count_reads_the_rows() {
        assertThat(DuckDbRollups.kindFor(bound(CannedQuery.ERRORS_BY_HOUR, "2026-11-27 10:30:00"))).isNull();
        for (String sql : List.of("SELECT max(\"timestamp\") FROM {{logs}} WHERE dt BETWEEN ? AND ?",
                "SELECT count(DISTINCT source) FROM {{logs}} WHERE dt BETWEEN ? AND ?",
                "SELECT count(*) FROM {{logs}} WHERE dt BETWEEN ? AND ? AND \"timestamp\" > now()",
                "SELECT message, count(*) FROM {{logs}} WHERE dt BETWEEN ? AND ? AND \"timestamp\" >= ? GROUP BY 1",
                "SELECT count(*) FROM {{logs}} WHERE dt BETWEEN ? AND ? AND attributes['a'] = 'b'")) {
            BoundQuery query = new BoundQuery(CannedQuery.VOLUME_BY_DAY, sql, List.of(DAY.toString(), DAY.toString()),
                    DAY, DAY);
            assertThat(DuckDbRollups.kindFor(query)).as(sql).isNull();
        }
    }

    @Test
    void each_count_becomes_a_sum_of_the_groups_counts() {
        assertThat(DuckDbRollups.overRollups(
                "SELECT source, count(*) AS events, count(CASE WHEN logtype = 'error' THEN 1 END) AS errors FROM t"))
                .isEqualTo("SELECT source, CAST(sum(rollup_events) AS BIGINT) AS events,"
                        + " CAST(coalesce(sum(CASE WHEN (CASE WHEN logtype = 'error' THEN 1 END) IS NOT NULL"
                        + " THEN rollup_events END), 0) AS BIGINT) AS errors FROM t");
        for (CannedQuery query : CannedQuery.values()) {
            assertThat(DuckDbRollups.overRollups(query.sql()).toLowerCase()).doesNotContain("count(");
        }
    }
}
