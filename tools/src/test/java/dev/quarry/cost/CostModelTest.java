package dev.quarry.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.cost.CostModel.Measured;
import dev.quarry.cost.CostModel.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CostModelTest {
    private final CostModel model = new CostModel(Prices.US_EAST_1);
    private final Measured measured = new Measured(8.0, 1.0);

    @Test
    void firehose_bills_each_request_rounded_up_to_5_kb_as_the_readme_table_says() {
        assertThat(model.firehoseBilledBytesPerRequest(1, 200)).isEqualTo(5_120);
        assertThat(model.firehoseBilledBytesPerRequest(100, 200)).isEqualTo(25_600);
        assertThat(model.firehoseBilledBytesPerRequest(500, 200)).isEqualTo(117_760);
        assertThat(model.firehoseBilledBytesPerRequest(22, 200)).as("22 x 230 = 5,060 bytes fit in one 5 KB unit")
                .isEqualTo(5_120);
        assertThat(model.firehoseBilledBytesPerRequest(23, 200)).as("23 x 230 = 5,290 bytes need two")
                .isEqualTo(10_240);
    }

    @Test
    void the_articles_5_gb_case_costs_about_71_cents_against_2_67_dollars_in_cloudwatch() {
        Workload article = Workload.article(500);

        assertThat(article.recordsPerMonth()).isEqualTo(25_000_000.0);
        assertThat(model.cloudWatch(article).total()).isCloseTo(2.665, within(0.0005));
        assertThat(model.pipeline(article, measured).lines().get("API Gateway requests")).isCloseTo(0.175,
                within(1e-9));
        assertThat(model.pipeline(article, measured).total()).isCloseTo(0.708, within(0.001));
    }

    @Test
    void one_record_a_request_costs_87_dollars_and_50_cents_at_the_gateway_alone() {
        assertThat(model.pipeline(Workload.article(1), measured).lines().get("API Gateway requests"))
                .isCloseTo(87.5, within(1e-9));
        assertThat(model.pipeline(Workload.article(1), measured).total())
                .isGreaterThan(model.cloudWatch(Workload.article(1)).total() * 30);
    }

    @Test
    void the_break_even_batch_is_42_records_and_one_record_fewer_is_dearer_than_cloudwatch() {
        Workload article = Workload.article(500);
        double cloudWatch = model.cloudWatch(article).total();

        assertThat(model.breakEvenRecordsPerRequest(article, measured)).isEqualTo(42);
        assertThat(model.pipeline(article.withRecordsPerRequest(42), measured).total()).isLessThan(cloudWatch);
        assertThat(model.pipeline(article.withRecordsPerRequest(41), measured).total()).isGreaterThan(cloudWatch);
    }

    @Test
    void infrequent_access_collects_for_half_standards_price_and_moves_the_break_even_to_103_records() {
        Workload article = Workload.article(500);
        CostModel.Estimate standard = model.cloudWatch(article, CostModel.LogClass.STANDARD);
        CostModel.Estimate infrequent = model.cloudWatch(article, CostModel.LogClass.INFREQUENT_ACCESS);

        assertThat(infrequent.lines().get("CloudWatch Logs ingestion")).isCloseTo(1.25, within(1e-9));
        assertThat(infrequent.total()).isCloseTo(standard.total() - 1.25, within(1e-9));
        assertThat(model.cloudWatch(article).total()).isEqualTo(standard.total());
        assertThat(model.breakEvenRecordsPerRequest(article, measured, CostModel.LogClass.INFREQUENT_ACCESS))
                .isEqualTo(103);
    }

    @Test
    void jq_processing_is_billed_by_the_hour_on_the_records_with_received_at() {
        double jq = model.pipeline(Workload.article(500), measured).lines()
                .get("Firehose dynamic partitioning, JQ processing (estimate)");

        assertThat(jq).isCloseTo(5 * 230.0 / 200 * CostModel.JQ_SECONDS_PER_GB / 3600 * 0.07, within(1e-12));
        assertThat(jq).isCloseTo(0.0265, within(0.0001));
    }

    @Test
    void the_cost_model_takes_the_compression_of_the_codec_firehose_writes() {
        assertThat(Measured.FIREHOSE_CODEC).isEqualTo("GZIP");
        assertThat(Measured.FIREHOSE).isEqualTo(Measured.GZIP);
        assertThat(Measured.GZIP.compressionRatio()).isGreaterThan(Measured.SNAPPY.compressionRatio() * 1.5);
    }

    @Test
    void better_compression_lowers_storage_and_scans_but_not_the_firehose_bill() {
        CostModel.Estimate eight = model.pipeline(Workload.article(500), measured);
        CostModel.Estimate sixteen = model.pipeline(Workload.article(500), new Measured(16.0, 1.0));

        assertThat(sixteen.lines().get("S3 storage")).isCloseTo(eight.lines().get("S3 storage") / 2, within(1e-12));
        assertThat(sixteen.lines().get("Firehose ingestion (5 KB rounding)"))
                .isEqualTo(eight.lines().get("Firehose ingestion (5 KB rounding)"));
    }

    @Test
    void a_summary_missing_the_cache_is_billed_at_least_athenas_10_mb() {
        Workload tiny = new Workload(0.001, 200, 500, 100, 0.5, 0);

        double athena = model.pipeline(tiny, measured).lines().get("Athena, summaries missing the cache");

        assertThat(athena).isCloseTo(1500 * 10e6 / 1e12 * 5.0, within(1e-12));
    }

    @Test
    void a_search_page_reads_two_days_of_parquet_billed_at_least_athenas_10_mb() {
        Workload small = new Workload(0.001, 200, 500, 0, 0, 0, 1000);
        Workload large = new Workload(3000, 200, 500, 0, 0, 0, 1000);

        assertThat(model.searchPageBytes(small, measured)).isEqualTo(10e6);
        assertThat(model.searchPageBytes(large, measured))
                .isCloseTo(3000 * 1e9 / measured.compressionRatio() * 2 / 30, within(1.0));
        assertThat(model.pipeline(small, measured).lines().get("Athena, search pages"))
                .isCloseTo(1000 * 30 * 10e6 / 1e12 * 5.0, within(1e-12));
        assertThat(model.pipeline(large, measured).lines().get("Athena, search pages"))
                .isCloseTo(1000 * 30 * model.searchPageUsd(large, measured), within(1e-9));
        assertThat(model.pipeline(Workload.article(500), measured).lines().get("Athena, search pages")).isZero();
    }

    @Test
    void a_batch_above_the_contracts_500_records_is_refused() {
        assertThatThrownBy(() -> Workload.article(501)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 500");
    }

    @Test
    void the_unconfirmed_prices_name_components_of_the_price_table() {
        assertThat(Arrays.stream(Prices.class.getRecordComponents()).map(RecordComponent::getName).toList())
                .containsAll(Prices.UNCONFIRMED);
        assertThat(Prices.UNCONFIRMED).isNotEmpty();
    }

    @Test
    void each_functions_lambda_memory_is_its_memory_size_in_serverless_yml() throws IOException {
        Path template = Path.of(System.getProperty("quarry.root", "..")).resolve("serverless.yml");
        JsonNode functions = new ObjectMapper(new YAMLFactory()).readTree(template.toFile()).path("functions");
        assertThat(functions.path("partition").path("memorySize").asInt()).isEqualTo(512);
        assertThat(functions.path("summary").path("memorySize").asInt()).isEqualTo(1024);
        assertThat(CostModel.PARTITION_GB).isEqualTo(functions.path("partition").path("memorySize").asInt() / 1024.0);
        assertThat(CostModel.SUMMARY_GB).isEqualTo(functions.path("summary").path("memorySize").asInt() / 1024.0);
    }

    @Test
    void a_summary_that_misses_the_cache_is_billed_a_second_of_the_summary_functions_memory() {
        Workload misses = new Workload(5, 200, 500, 1000, 0, 3);
        double perMiss = Prices.US_EAST_1.lambdaPerMillionRequests() / 1e6
                + CostModel.SUMMARY_SECONDS * 1.0 * Prices.US_EAST_1.lambdaPerGbSecond();
        assertThat(model.pipeline(misses, measured).lines().get("summary Lambda"))
                .isCloseTo(1000 * 30 * perMiss, within(1e-9));
    }
}
