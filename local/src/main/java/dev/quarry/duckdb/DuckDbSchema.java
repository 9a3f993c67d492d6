package dev.quarry.duckdb;

import dev.quarry.catalog.StorageSchema;
import dev.quarry.catalog.StorageSchema.Column;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stored columns in DuckDB's words, made from {@link StorageSchema}: the types the query engine reads from the
 * Parquet files, the {@code read_json} types of the write-ahead log's fields, and the column lists of the statements
 * that move records between the two. Nothing here names a column by hand.
 */
final class DuckDbSchema {
    /** The {@code columns} of {@code read_json} over write-ahead-log segments: each field and its JSON type. */
    static final String WAL_COLUMNS = StorageSchema.columnsWithPartitionKey().stream()
            .map(c -> identifier(c) + ": " + "'" + walType(c.type()) + "'")
            .collect(Collectors.joining(", ", "{", "}"));
    /** The write-ahead log's fields as the stored types: its epoch microseconds made {@code TIMESTAMPTZ}. */
    static final String FROM_WAL = StorageSchema.columnsWithPartitionKey().stream()
            .map(c -> c.type() == StorageSchema.Type.TIMESTAMP
                    ? "make_timestamptz(" + identifier(c) + ") AS " + identifier(c) : identifier(c))
            .collect(Collectors.joining(", "));
    /** The columns of every Parquet file, in order (the partition key is the directory, not a column). */
    static final String PARQUET_COLUMNS = list(StorageSchema.COLUMNS, DuckDbSchema::identifier);
    /** A relation with the table's columns and partition key, typed as the Parquet files are read, and no rows. */
    static final String EMPTY_TABLE = "(SELECT " + list(StorageSchema.columnsWithPartitionKey(),
            c -> "CAST(NULL AS " + type(c.type()) + ") AS " + identifier(c)) + " WHERE false)";

    /** {@code read_parquet}'s {@code hive_types}: the partition key's type, so that a day is never read as a date. */
    static final String HIVE_TYPES = "{'" + StorageSchema.PARTITION_KEY.name() + "': '"
            + type(StorageSchema.PARTITION_KEY.type()) + "'}";

    private DuckDbSchema() {
    }

    /** The type DuckDB reads from the Parquet files (the partition key: {@code hive_types}). */
    static String type(StorageSchema.Type type) {
        return switch (type) {
            case STRING -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case STRING_MAP -> "MAP(VARCHAR, VARCHAR)";
        };
    }

    /** The {@code read_json} type of the write-ahead log's field: timestamps are epoch microseconds there. */
    static String walType(StorageSchema.Type type) {
        return switch (type) {
            case STRING -> "VARCHAR";
            case TIMESTAMP -> "BIGINT";
            case STRING_MAP -> "MAP(VARCHAR, VARCHAR)";
        };
    }

    /** The column's name as a quoted identifier ({@code timestamp} is a keyword). */
    static String identifier(Column column) {
        return "\"" + column.name() + "\"";
    }

    private static String list(List<Column> columns, Function<Column, String> each) {
        return columns.stream().map(each).collect(Collectors.joining(", "));
    }
}
