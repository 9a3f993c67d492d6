package dev.quarry.catalog;

import dev.quarry.record.LogRecord;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The columns of the stored logs, declared once: the local Parquet writer's column lists, the local empty table and
 * the write-ahead log's fields are made from this list; Glue's table ({@code resources/catalog.yml}) and
 * {@code sql/create-table.sql}, which must stay literals, are each tested against it.
 * Parquet files hold the columns; {@code dt} is the partition, a directory ({@code logs/dt=YYYY-MM-DD/}) and not a
 * column of the files.
 */
public final class StorageSchema {

    /**
     * A column type, with its Glue and Athena name. Each adapter names it in its own dialect (DuckDB: {@code
     * DuckDbSchema}), by a switch that fails to compile when a type is added here.
     */
    public enum Type {
        /** Values are {@link String}s. */
        STRING("string"),
        /** UTC instants ({@link java.time.Instant}s); the write-ahead log holds them as epoch microseconds. */
        TIMESTAMP("timestamp"),
        /** {@code Map<String, String>}s; the write-ahead log holds an empty map as null. */
        STRING_MAP("map<string,string>");

        /** Glue and Athena DDL (Hive type names). */
        public final String hive;

        Type(String hive) {
            this.hive = hive;
        }
    }

    /**
     * One stored column.
     *
     * @param value the column's value of a record, of the {@link Type}'s Java type
     */
    public record Column(String name, Type type, Function<LogRecord, Object> value) {
        /** {@code name type}, as Hive DDL and Glue's column list write it. */
        public String hive() {
            return name + " " + type.hive;
        }
    }

    /** The columns of every Parquet file, in order. {@code timestamp} is reserved in Athena DDL: quote it there. */
    public static final List<Column> COLUMNS = List.of(
            new Column("source", Type.STRING, LogRecord::source),
            new Column("logtype", Type.STRING, LogRecord::logtype),
            new Column("timestamp", Type.TIMESTAMP, LogRecord::timestamp),
            new Column("message", Type.STRING, LogRecord::message),
            new Column("attributes", Type.STRING_MAP, LogRecord::attributes),
            new Column("received_at", Type.TIMESTAMP, LogRecord::receivedAt));

    /** The partition key: the UTC day a record is filed under (see {@link PartitionKeys}). */
    public static final Column PARTITION_KEY = new Column("dt", Type.STRING,
            record -> PartitionKeys.value(record.day()));

    private static final List<Column> COLUMNS_WITH_PARTITION_KEY = Stream.concat(COLUMNS.stream(),
            Stream.of(PARTITION_KEY)).toList();

    /** The columns and then the partition key, as a query over the table sees them (and the write-ahead log). */
    public static List<Column> columnsWithPartitionKey() {
        return COLUMNS_WITH_PARTITION_KEY;
    }

    private StorageSchema() {
    }
}
