package dev.quarry.glue;

import static dev.quarry.glue.TestingGlueServer.BATCH_CREATE_PARTITION;
import static dev.quarry.glue.TestingGlueServer.GET_TABLE;
import static dev.quarry.glue.TestingGlueServer.error;
import static dev.quarry.glue.TestingGlueServer.expectedPartitionInput;
import static dev.quarry.glue.TestingGlueServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionCatalog.CatalogException;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;

class GluePartitionCatalogTest {
    private static final String BUCKET = "quarry-logs-123456789012";

    private TestingGlueServer glueServer;
    private GlueClient glue;
    private GluePartitionCatalog catalog;

    @BeforeEach
    void start() {
        glueServer = TestingGlueServer.start();
        glue = GlueClients.builder()
                .endpointOverride(glueServer.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .build();
        catalog = new GluePartitionCatalog(glue, "quarry", "logs");
    }

    @AfterEach
    void stop() {
        glue.close();
        glueServer.close();
    }

    @Test
    void all_distinct_days_go_to_glue_in_one_batch_with_the_tables_storage_descriptor() {
        catalog.register(List.of(partition("2026-11-26"), partition("2026-11-25"), partition("2026-11-26")));

        List<TestingGlueServer.Request> requests = glueServer.requests();
        assertThat(glueServer.operations()).containsExactly("GetTable", "BatchCreatePartition");
        assertThat(requests.get(0).body()).isEqualTo(json("{\"DatabaseName\": \"quarry\", \"Name\": \"logs\"}"));
        assertThat(requests.get(1).body()).isEqualTo(batch("2026-11-25", "2026-11-26"));
        assertThat(requests.get(1).authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                .contains("/us-east-1/glue/aws4_request");
    }

    @Test
    void the_table_is_read_once_per_container() {
        catalog.register(List.of(partition("2026-11-26")));
        catalog.register(List.of(partition("2026-11-27")));

        assertThat(glueServer.operations()).containsExactly("GetTable", "BatchCreatePartition", "BatchCreatePartition");
        assertThat(glueServer.requests().get(2).body()).isEqualTo(batch("2026-11-27"));
    }

    @Test
    void partitions_that_already_exist_are_success() {
        glueServer.answer(BATCH_CREATE_PARTITION, 200, """
                {"Errors": [{"PartitionValues": ["2026-11-26"], "ErrorDetail": {"ErrorCode": "AlreadyExistsException",
                  "ErrorMessage": "Partition already exists."}}]}""");

        catalog.register(List.of(partition("2026-11-26"), partition("2026-11-27")));

        assertThat(glueServer.operations()).containsExactly("GetTable", "BatchCreatePartition");
    }

    @Test
    void a_partition_glue_refuses_for_another_reason_fails_the_call_naming_it() {
        glueServer.answer(BATCH_CREATE_PARTITION, 200, """
                {"Errors": [{"PartitionValues": ["2026-11-27"], "ErrorDetail": {"ErrorCode": "InternalServiceException",
                  "ErrorMessage": "Internal error."}}]}""");

        assertThatThrownBy(() -> catalog.register(List.of(partition("2026-11-26"), partition("2026-11-27"))))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("quarry.logs")
                .hasMessageContaining("[2026-11-27]: InternalServiceException Internal error.");
    }

    @Test
    void a_throttled_call_is_retried_by_the_sdk() {
        glueServer.answerOnce(BATCH_CREATE_PARTITION, 400, error("ThrottlingException", "Rate exceeded"));

        catalog.register(List.of(partition("2026-11-26")));

        List<TestingGlueServer.Request> requests = glueServer.requests();
        assertThat(glueServer.operations()).containsExactly("GetTable", "BatchCreatePartition", "BatchCreatePartition");
        assertThat(requests.get(1).body()).isEqualTo(batch("2026-11-26"));
        assertThat(requests.get(2).body()).isEqualTo(requests.get(1).body());
    }

    @Test
    void a_missing_table_fails_the_call_naming_it_and_is_looked_up_again_on_the_next() {
        glueServer.answerOnce(GET_TABLE, 400, error("EntityNotFoundException", "Table logs not found."));

        assertThatThrownBy(() -> catalog.register(List.of(partition("2026-11-26"))))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Cannot read the table quarry.logs (QUARRY_DATABASE, QUARRY_TABLE), because")
                .hasMessageContaining("Table logs not found.");
        assertThat(glueServer.operations()).containsExactly("GetTable");

        catalog.register(List.of(partition("2026-11-26")));
        assertThat(glueServer.operations()).containsExactly("GetTable", "GetTable", "BatchCreatePartition");
    }

    @Test
    void a_refused_call_fails_without_retries() {
        glueServer.answer(BATCH_CREATE_PARTITION, 400, error("AccessDeniedException", "not authorized to perform"));

        assertThatThrownBy(() -> catalog.register(List.of(partition("2026-11-26"))))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Cannot register partitions [2026-11-26] in quarry.logs, because Glue failed")
                .hasMessageContaining("not authorized to perform");
        assertThat(glueServer.operations()).containsExactly("GetTable", "BatchCreatePartition");
    }

    @Test
    void more_than_a_hundred_days_go_in_batches_of_a_hundred() {
        LocalDate first = LocalDate.of(2026, 1, 1);
        catalog.register(IntStream.range(0, 101).mapToObj(i -> partition(first.plusDays(i).toString())).toList());

        List<TestingGlueServer.Request> requests = glueServer.requests();
        assertThat(glueServer.operations()).containsExactly("GetTable", "BatchCreatePartition", "BatchCreatePartition");
        assertThat(requests.get(1).body().get("PartitionInputList")).hasSize(100);
        assertThat(requests.get(1).body().get("PartitionInputList").get(0).get("Values").get(0).asText())
                .isEqualTo("2026-01-01");
        assertThat(requests.get(2).body()).isEqualTo(batch("2026-04-11"));
    }

    @Test
    void nothing_to_register_calls_nothing() {
        catalog.register(List.of());

        assertThat(glueServer.requests()).isEmpty();
    }

    @Test
    void a_table_not_partitioned_by_dt_is_refused() {
        glueServer.answer(GET_TABLE, 200, TestingGlueServer.logsTable("quarry", "logs", BUCKET)
                .replace("\"Name\": \"dt\"", "\"Name\": \"day\""));

        assertThatThrownBy(() -> catalog.register(List.of(partition("2026-11-26"))))
                .isInstanceOf(CatalogException.class)
                .hasMessage("Cannot register partitions in quarry.logs, because it is partitioned by [day], not by [dt]");
        assertThat(glueServer.operations()).containsExactly("GetTable");
    }

    private static Partition partition(String day) {
        return new Partition(LocalDate.parse(day), "s3://" + BUCKET + "/logs/dt=" + day + "/");
    }

    private static JsonNode batch(String... days) {
        StringBuilder inputs = new StringBuilder();
        for (String day : days) {
            inputs.append(inputs.isEmpty() ? "" : ",").append(expectedPartitionInput(BUCKET, day));
        }
        return json("{\"DatabaseName\": \"quarry\", \"TableName\": \"logs\", \"PartitionInputList\": [" + inputs + "]}");
    }
}
