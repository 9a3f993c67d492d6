package dev.quarry.glue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.catalog.Partition;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionRequest;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;

class PartitionToGlueTest {
    private static final StorageDescriptor TABLE = StorageDescriptor.builder()
            .columns(Column.builder().name("source").type("string").build())
            .location("s3://bucket/logs/")
            .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
            .serdeInfo(SerDeInfo.builder()
                    .serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe").build())
            .build();
    private static final Partition DAY = new Partition(LocalDate.of(2026, 11, 26), "s3://bucket/logs/dt=2026-11-26/");

    @Test
    void a_partition_is_the_day_as_its_value_and_the_tables_storage_descriptor_at_its_own_location() {
        PartitionInput input = PartitionToGlue.partitionInput(DAY, TABLE);

        assertThat(input.values()).containsExactly("2026-11-26");
        assertThat(input.storageDescriptor()).isEqualTo(TABLE.toBuilder().location("s3://bucket/logs/dt=2026-11-26/")
                .build());
        assertThat(TABLE.location()).isEqualTo("s3://bucket/logs/");
    }

    @Test
    void a_batch_names_the_table_and_keeps_the_order_given() {
        Partition next = new Partition(LocalDate.of(2026, 11, 27), "s3://bucket/logs/dt=2026-11-27/");

        BatchCreatePartitionRequest request = PartitionToGlue.batchCreate("quarry", "logs", List.of(DAY, next), TABLE);

        assertThat(request.databaseName()).isEqualTo("quarry");
        assertThat(request.tableName()).isEqualTo("logs");
        assertThat(request.partitionInputList()).extracting(PartitionInput::values)
                .containsExactly(List.of("2026-11-26"), List.of("2026-11-27"));
    }
}
