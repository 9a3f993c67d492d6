package dev.quarry.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.aws.TestingJson11Server;
import dev.quarry.catalog.StorageSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * A loopback Glue endpoint ({@code X-Amz-Target: AWSGlue.<Operation>}, see {@link TestingJson11Server}) that
 * answers GetTable with the logs table and BatchCreatePartition with no errors until a test says otherwise.
 */
public final class TestingGlueServer extends TestingJson11Server {
    public static final String GET_TABLE = "GetTable";
    public static final String BATCH_CREATE_PARTITION = "BatchCreatePartition";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestingGlueServer() {
        super("AWSGlue.", "InvalidInputException");
    }

    public static TestingGlueServer start() {
        TestingGlueServer glue = new TestingGlueServer();
        glue.answer(GET_TABLE, 200, logsTable("quarry", "logs", "quarry-logs-123456789012"));
        glue.answer(BATCH_CREATE_PARTITION, 200, "{\"Errors\":[]}");
        return glue;
    }

    /** The GetTable answer for the logs table as the deployment creates it: Parquet, partitioned by dt. */
    public static String logsTable(String database, String table, String bucket) {
        return """
                {"Table": {
                  "Name": "%s", "DatabaseName": "%s", "TableType": "EXTERNAL_TABLE",
                  "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                  "Parameters": {"classification": "parquet", "projection.enabled": "true"},
                  "StorageDescriptor": %s
                }}
                """.formatted(table, database, storageDescriptor("s3://" + bucket + "/logs/"));
    }

    /** The partition input Glue must receive for a day of the table answered by {@link #logsTable}. */
    public static String expectedPartitionInput(String bucket, String day) {
        return """
                {"Values": ["%s"],
                 "StorageDescriptor": %s}
                """.formatted(day, storageDescriptor("s3://" + bucket + "/logs/dt=" + day + "/"));
    }

    /** The logs table's storage descriptor at {@code location}: the table's own, and each partition's copy of it. */
    private static String storageDescriptor(String location) {
        return """
                {
                    "Columns": %s,
                    "Location": "%s",
                    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    "Compressed": false,
                    "SerdeInfo": {
                      "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                      "Parameters": {"serialization.format": "1"}
                    },
                    "StoredAsSubDirectories": false
                }""".formatted(columns(), location);
    }

    /** Glue's column list of the storage schema, as the deployment declares it. */
    private static String columns() {
        return StorageSchema.COLUMNS.stream()
                .map(c -> JSON.createObjectNode().put("Name", c.name()).put("Type", c.type().hive).toString())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
