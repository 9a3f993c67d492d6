package dev.quarry.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionCatalog.CatalogException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler inside Quarkus, invoked through the extension's mock event server as Lambda would invoke it; the
 * catalog is the in-memory fake.
 */
@QuarkusTest
class PartitionHandlerTest {
    private static final String BUCKET = "quarry-logs-123456789012";
    private static final String REPLICA = "quarry-logs-replica-123456789012";

    @Inject
    InMemoryPartitionCatalog catalog;

    @BeforeEach
    void reset() {
        catalog.reset();
    }

    @Test
    void a_new_object_registers_its_day() {
        invoke("s3-put-single.json").statusCode(200)
                .body("partitions", contains("s3://" + BUCKET + "/logs/dt=2026-11-26/"))
                .body("ignored", equalTo(0));

        assertThat(catalog.calls()).containsExactly(List.of(partition(BUCKET, "2026-11-26")));
    }

    @Test
    void several_records_register_their_distinct_days_in_one_call_per_bucket() {
        invoke("s3-put-several.json").statusCode(200)
                .body("partitions", contains("s3://" + BUCKET + "/logs/dt=2026-11-26/",
                        "s3://" + BUCKET + "/logs/dt=2026-11-25/", "s3://" + REPLICA + "/logs/dt=2026-11-24/"));

        assertThat(catalog.calls()).containsExactly(
                List.of(partition(BUCKET, "2026-11-26"), partition(BUCKET, "2026-11-25")),
                List.of(partition(REPLICA, "2026-11-24")));
    }

    @Test
    void an_url_encoded_key_is_decoded() {
        invoke("s3-put-url-encoded-key.json").statusCode(200)
                .body("partitions", contains("s3://" + BUCKET + "/logs/dt=2026-11-26/"));
    }

    @Test
    void the_error_prefix_and_other_keys_register_nothing() {
        invoke("s3-put-errors-prefix.json").statusCode(200)
                .body("partitions", empty())
                .body("ignored", equalTo(4));

        assertThat(catalog.calls()).isEmpty();
    }

    @Test
    void a_removal_registers_nothing() {
        invoke("s3-delete.json").statusCode(200).body("partitions", empty()).body("ignored", equalTo(1));

        assertThat(catalog.calls()).isEmpty();
    }

    @Test
    void a_redelivered_notification_succeeds_again() {
        invoke("s3-put-single.json").statusCode(200);
        invoke("s3-put-redelivery.json").statusCode(200)
                .body("partitions", contains("s3://" + BUCKET + "/logs/dt=2026-11-26/"));

        assertThat(catalog.partitions()).isEqualTo(Set.of(partition(BUCKET, "2026-11-26")));
    }

    @Test
    void a_catalog_failure_fails_the_invocation_so_lambda_retries_it() {
        catalog.failWith(new CatalogException("Cannot register partitions [2026-11-26] in quarry.logs, because "
                + "Glue failed: Service unavailable", null));

        invoke("s3-put-single.json").statusCode(500)
                .body(containsString("Cannot register partitions [2026-11-26] in quarry.logs"));
    }

    private static ValidatableResponse invoke(String fixture) {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        return given().baseUri("http://localhost").port(port)
                .contentType("application/json")
                .body(TestingEvents.json(fixture))
                .post("/_lambda_")
                .then();
    }

    private static Partition partition(String bucket, String day) {
        return new Partition(LocalDate.parse(day), "s3://" + bucket + "/logs/dt=" + day + "/");
    }
}
