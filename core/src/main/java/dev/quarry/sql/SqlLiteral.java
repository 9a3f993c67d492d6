package dev.quarry.sql;

/** SQL literal text, as every engine here reads it (DuckDB, Athena, Trino): the one place a value is quoted. */
public final class SqlLiteral {
    private SqlLiteral() {
    }

    /** One string as SQL literal text: single-quoted, inner single quotes doubled ({@code o'brien} as {@code 'o''brien'}). */
    public static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
