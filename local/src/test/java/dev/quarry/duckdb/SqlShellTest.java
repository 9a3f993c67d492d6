package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/sql with one statement: each error once, CSV that quotes only what must be quoted. */
class SqlShellTest {
    @TempDir
    Path logs;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String sql, String format) {
        return SqlShell.runOne(logs, sql, format, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void csv_leaves_numbers_unquoted_and_quotes_text_that_needs_it() {
        assertThat(run("SELECT 180 AS n, 'a,b' AS s, 'plain' AS p, 1.5 AS x", "csv")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("n,s,p,x\n180,\"a,b\",plain,1.5\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void json_is_an_array_of_objects_with_numbers_as_numbers() {
        assertThat(run("SELECT 180 AS n, 'x' AS s, NULL AS z", "json")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[{\"n\":180,\"s\":\"x\",\"z\":null}]\n");
    }

    @Test
    void the_table_pads_columns_and_counts_rows() {
        assertThat(run("SELECT * FROM (VALUES ('info', 12), ('error', 3)) t(logtype, events) ORDER BY 2", "table"))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "logtype | events\n--------+-------\nerror   | 3     \ninfo    | 12    \n2 rows\n");
    }

    @Test
    void an_error_is_one_line_and_the_exit_status_one() {
        assertThat(run("SELECT no_such_column FROM logs", "table")).isEqualTo(1);
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).hasSize(1);
        assertThat(printed).startsWith("sql: Binder Error").contains("no_such_column")
                .doesNotContain("pending query result");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
