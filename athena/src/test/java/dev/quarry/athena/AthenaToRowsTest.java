package dev.quarry.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine.QueryFailedException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.Row;

class AthenaToRowsTest {
    private static final CannedQuery.Column DT = CannedQuery.VOLUME_BY_DAY.columns().get(0);
    private static final CannedQuery.Column EVENTS = CannedQuery.VOLUME_BY_DAY.columns().get(1);
    private static final CannedQuery.Column HOUR = CannedQuery.ERRORS_BY_HOUR.columns().get(0);

    @Test
    void bigints_and_other_integers_are_longs() throws Exception {
        assertThat(AthenaToRows.value(EVENTS, "bigint", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(AthenaToRows.value(EVENTS, "integer", "42")).isEqualTo(42L);
        assertThat(AthenaToRows.value(EVENTS, "BIGINT", "0")).isInstanceOf(Long.class);
    }

    @Test
    void varchars_and_dates_are_strings_as_duck_db_returns_dt() throws Exception {
        assertThat(AthenaToRows.value(DT, "varchar", "2026-11-26")).isEqualTo("2026-11-26");
        assertThat(AthenaToRows.value(DT, "varchar(10)", "2026-11-26")).isEqualTo("2026-11-26");
        assertThat(AthenaToRows.value(DT, "date", "2026-11-26")).isEqualTo("2026-11-26");
        assertThat(AthenaToRows.value(DT, "varchar", "")).isEqualTo("");
    }

    @Test
    void timestamps_are_read_as_utc_instants() throws Exception {
        assertThat(AthenaToRows.value(HOUR, "timestamp", "2026-11-26 10:00:00.000"))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(AthenaToRows.value(HOUR, "timestamp", "2026-11-26 10:00:00"))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(AthenaToRows.value(HOUR, "timestamp(6)", "2026-11-26 10:00:00.000000"))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(AthenaToRows.value(HOUR, "timestamp with time zone", "2026-11-26 10:00:00.000 UTC"))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(AthenaToRows.value(HOUR, "timestamp(3) with time zone", "2026-11-26 11:00:00.000 +01:00"))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void a_missing_var_char_value_is_null() throws Exception {
        assertThat(AthenaToRows.value(EVENTS, "bigint", null)).isNull();
        assertThat(AthenaToRows.value(HOUR, "timestamp", null)).isNull();
    }

    @Test
    void a_value_of_the_wrong_type_or_unreadable_fails() {
        assertThatThrownBy(() -> AthenaToRows.value(EVENTS, "varchar", "12")).isInstanceOf(QueryFailedException.class)
                .hasMessageContaining("events").hasMessageContaining("varchar");
        assertThatThrownBy(() -> AthenaToRows.value(EVENTS, "double", "1.0")).isInstanceOf(QueryFailedException.class);
        assertThatThrownBy(() -> AthenaToRows.value(HOUR, "varchar", "2026-11-26 10:00:00.000"))
                .isInstanceOf(QueryFailedException.class);
        assertThatThrownBy(() -> AthenaToRows.value(EVENTS, "bigint", "many")).isInstanceOf(QueryFailedException.class)
                .hasMessageContaining("'many'");
        assertThatThrownBy(() -> AthenaToRows.value(HOUR, "timestamp", "yesterday"))
                .isInstanceOf(QueryFailedException.class);
    }

    @Test
    void rows_must_have_the_querys_columns() {
        List<ColumnInfo> oneColumn = List.of(ColumnInfo.builder().name("dt").type("varchar").build());
        assertThatThrownBy(() -> AthenaToRows.rows(CannedQuery.VOLUME_BY_DAY, oneColumn, List.of()))
                .isInstanceOf(QueryFailedException.class).hasMessageContaining("1 columns for 2");

        List<ColumnInfo> columns = List.of(ColumnInfo.builder().name("dt").type("varchar").build(),
                ColumnInfo.builder().name("events").type("bigint").build());
        Row shortRow = Row.builder().data(Datum.builder().varCharValue("2026-11-26").build()).build();
        assertThatThrownBy(() -> AthenaToRows.rows(CannedQuery.VOLUME_BY_DAY, columns, List.of(shortRow)))
                .isInstanceOf(QueryFailedException.class).hasMessageContaining("1 values for 2");
    }
}
