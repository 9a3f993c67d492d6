package dev.quarry.catalog;

import java.util.List;

/**
 * The columns of the stored logs, declared once: Glue's table in {@code serverless.yml}, {@code sql/create-table.sql},
 * the local Parquet writer, the local empty table and the write-ahead log are each tested against this list.
 * Parquet files hold the columns; {@code dt} is the partition, a directory ({@code logs/dt=YYYY-MM-DD/}) and not a
 * column of the files.
 */
public final class StorageSchema {

    /** A column type in each dialect that declares it. */
    public enum Type {
        STRING("string", "VARCHAR", "VARCHAR"),
        /** UTC instants; the write-ahead log holds them as epoch microseconds. */
        TIMESTAMP("timestamp", "TIMESTAMPTZ", "BIGINT"),
        STRING_MAP("map<string,string>", "MAP(VARCHAR, VARCHAR)", "MAP(VARCHAR, VARCHAR)");

        /** Glue and Athena DDL (Hive type names). */
        public final String hive;
        /** DuckDB, as the local query engine reads the Parquet files. */
        public final String duckDb;
        /** DuckDB's {@code read_json} type of the write-ahead log's field. */
        public final String writeAheadLog;

        Type(String hive, String duckDb, String writeAheadLog) {
            this.hive = hive;
            this.duckDb = duckDb;
            this.writeAheadLog = writeAheadLog;
        }
    }

    public record Column(String name, Type type) {
        /** {@code name type}, as Hive DDL and Glue's column list write it. */
        public String hive() {
            return name + " " + type.hive;
        }
    }

    /** The columns of every Parquet file, in order. {@code timestamp} is reserved in Athena DDL: quote it there. */
    public static final List<Column> COLUMNS = List.of(
            new Column("source", Type.STRING),
            new Column("logtype", Type.STRING),
            new Column("timestamp", Type.TIMESTAMP),
            new Column("message", Type.STRING),
            new Column("attributes", Type.STRING_MAP),
            new Column("received_at", Type.TIMESTAMP));

    /** The partition key: the UTC day a record is filed under (see {@link PartitionKeys}). */
    public static final Column PARTITION_KEY = new Column("dt", Type.STRING);

    /** The columns and then the partition key, as a query over the table sees them. */
    public static List<Column> columnsWithPartitionKey() {
        return java.util.stream.Stream.concat(COLUMNS.stream(), java.util.stream.Stream.of(PARTITION_KEY)).toList();
    }

    private StorageSchema() {
    }
}
