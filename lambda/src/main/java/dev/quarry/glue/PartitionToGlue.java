package dev.quarry.glue;

import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionKeys;
import java.util.List;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionRequest;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;

/** Pure mappings from Quarry's partitions to Glue's requests. */
final class PartitionToGlue {
    private PartitionToGlue() {
    }

    /**
     * One partition: its only value is the {@code dt} day; its storage descriptor is the table's (columns, formats,
     * SerDe), with the partition's own location, as engines that read Glue partitions expect.
     */
    static PartitionInput partitionInput(Partition partition, StorageDescriptor table) {
        return PartitionInput.builder()
                .values(PartitionKeys.value(partition.day()))
                .storageDescriptor(table.toBuilder().location(partition.location()).build())
                .build();
    }

    static BatchCreatePartitionRequest batchCreate(String database, String table, List<Partition> partitions,
            StorageDescriptor tableDescriptor) {
        return BatchCreatePartitionRequest.builder()
                .databaseName(database)
                .tableName(table)
                .partitionInputList(partitions.stream().map(p -> partitionInput(p, tableDescriptor)).toList())
                .build();
    }
}
