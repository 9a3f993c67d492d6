package dev.quarry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlLiteralTest {

    @Test
    void a_string_is_single_quoted_with_inner_single_quotes_doubled_and_nothing_else_escaped() {
        assertThat(SqlLiteral.quote("")).isEqualTo("''");
        assertThat(SqlLiteral.quote("o'brien")).isEqualTo("'o''brien'");
        assertThat(SqlLiteral.quote("''")).isEqualTo("''''''");
        assertThat(SqlLiteral.quote("/data/logs/dt=2026-11-26/a b\\\"c\".parquet"))
                .isEqualTo("'/data/logs/dt=2026-11-26/a b\\\"c\".parquet'");
    }
}
