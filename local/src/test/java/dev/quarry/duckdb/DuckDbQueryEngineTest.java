package dev.quarry.duckdb;

import static dev.quarry.local.TestingDataset.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.local.TestingDataset;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine;
import dev.quarry.summary.SummaryRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbQueryEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void a_one_day_query_reads_only_that_days_files() throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            for (int flush = 0; flush < 2; flush++) {
                dataset.write(List.of(
                        record("web", "error", "2026-03-01T10:00:00Z", "a"),
                        record("web", "error", "2026-03-02T10:00:00Z", "b"),
                        record("web", "error", "2026-03-03T10:00:00Z", "c")));
            }
        }
        assertThat(parquetFiles()).hasSize(6);

        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            for (CannedQuery query : CannedQuery.values()) {
                JsonNode scan = tableScan(JSON.readTree(engine.profile(bind(query, "2026-03-02", "2026-03-02"))));

                assertThat(scan.at("/extra_info/Total Files Read").asText()).as(query.queryName()).isEqualTo("2");
                assertThat(scan.at("/extra_info/Filename(s)").asText()).as(query.queryName())
                        .contains("dt=2026-03-02/").doesNotContain("dt=2026-03-01").doesNotContain("dt=2026-03-03");
            }
            JsonNode wholeRange = tableScan(JSON.readTree(engine.profile(
                    bind(CannedQuery.VOLUME_BY_DAY, "2026-03-01", "2026-03-03"))));
            assertThat(wholeRange.at("/extra_info/Total Files Read").asText()).isEqualTo("6");
            assertThat(wholeRange.at("/extra_info/Filename(s)").asText()).contains("dt=2026-03-01/")
                    .contains("dt=2026-03-02/").contains("dt=2026-03-03/");
        }
    }

    @Test
    void a_query_needing_more_than_its_memory_limit_fails_saying_which_limit() throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            List<com.fasterxml.jackson.databind.node.ObjectNode> records = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                records.add(record("web-" + (i % 50), "error", "2026-03-02T10:00:00Z",
                        "distinct message " + i + " " + "x".repeat(200)));
            }
            dataset.write(records);
        }
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"), "2MB", 1,
                dataDir.resolve("spill/query"))) {
            assertThatThrownBy(() -> engine.run(bind(CannedQuery.TOP_MESSAGES, "2026-03-02", "2026-03-02")))
                    .isInstanceOf(QueryEngine.QueryFailedException.class)
                    .hasMessageContaining("needs more memory than the 2MB")
                    .hasMessageContaining("QUARRY_DUCKDB_QUERY_MEMORY_LIMIT");
        }
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"), "256MB", 1,
                dataDir.resolve("spill/query"))) {
            assertThat(engine.run(bind(CannedQuery.TOP_MESSAGES, "2026-03-02", "2026-03-02"))).isNotEmpty();
        }
    }

    @Test
    void a_repeated_summary_is_answered_from_memory_until_a_flush_changes_its_days_files() throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            dataset.write(List.of(record("web", "error", "2026-03-02T10:00:00Z", "a"),
                    record("api", "info", "2026-03-03T11:00:00Z", "b")));
        }
        try (DuckDbQueryEngine cached = new DuckDbQueryEngine(dataDir.resolve("logs"), "256MB", 1,
                dataDir.resolve("spill/query"), 16);
                DuckDbQueryEngine uncached = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            for (CannedQuery query : CannedQuery.values()) {
                List<List<Object>> first = cached.run(bind(query, "2026-03-01", "2026-03-03"));
                assertThat(cached.run(bind(query, "2026-03-01", "2026-03-03"))).as(query.queryName())
                        .isEqualTo(first).isEqualTo(uncached.run(bind(query, "2026-03-01", "2026-03-03")));
            }
            assertThat(cached.answersFromCache()).isEqualTo(CannedQuery.values().length);

            try (TestingDataset dataset = TestingDataset.in(dataDir)) {
                dataset.write(List.of(record("web", "error", "2026-03-02T10:30:00Z", "a")));
            }
            for (CannedQuery query : CannedQuery.values()) {
                assertThat(cached.run(bind(query, "2026-03-01", "2026-03-03"))).as(query.queryName())
                        .isEqualTo(uncached.run(bind(query, "2026-03-01", "2026-03-03")));
            }
            assertThat(cached.run(bind(CannedQuery.VOLUME_BY_DAY, "2026-03-02", "2026-03-02")).get(0))
                    .as("the new record is counted").contains(2L);
            assertThat(cached.answersFromCache()).isEqualTo(CannedQuery.values().length);
        }
    }

    @Test
    void a_one_day_query_never_opens_another_days_file() throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            dataset.write(List.of(record("web", "error", "2026-03-02T10:00:00Z", "b")));
        }
        // Days before and after: DuckDB would open the first file of a glob to learn the schema, whatever its day.
        for (String day : List.of("2026-03-01", "2026-03-03")) {
            Path poisoned = dataDir.resolve("logs/dt=" + day + "/not-parquet.parquet");
            Files.createDirectories(poisoned.getParent());
            Files.writeString(poisoned, "this is not a Parquet file");
        }

        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            for (CannedQuery query : CannedQuery.values()) {
                assertThat(engine.run(bind(query, "2026-03-02", "2026-03-02"))).as(query.queryName()).hasSize(1);
            }
            assertThatThrownBy(() -> engine.run(bind(CannedQuery.VOLUME_BY_DAY, "2026-03-02", "2026-03-03")))
                    .isInstanceOf(QueryEngine.QueryFailedException.class);
            assertThatThrownBy(() -> engine.run(bind(CannedQuery.VOLUME_BY_DAY, "2026-03-01", "2026-03-02")))
                    .isInstanceOf(QueryEngine.QueryFailedException.class);
        }
    }

    @Test
    void no_logs_directory_gives_no_rows() throws Exception {
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            for (CannedQuery query : CannedQuery.values()) {
                assertThat(engine.run(bind(query, "2026-03-01", "2026-03-31"))).as(query.queryName()).isEmpty();
            }
        }
    }

    @Test
    void day_directories_holding_only_staging_files_give_no_rows() throws Exception {
        Path staging = dataDir.resolve("logs/dt=2026-03-02/.quarry-0000000000000001-0000000000000001.parquet.tmp");
        Files.createDirectories(staging.getParent());
        Files.writeString(staging, "half written");
        Files.createDirectories(dataDir.resolve("logs/dt=2026-03-03"));

        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            for (CannedQuery query : CannedQuery.values()) {
                assertThat(engine.run(bind(query, "2026-03-01", "2026-03-31"))).as(query.queryName()).isEmpty();
            }
        }
    }

    @Test
    void staging_files_beside_parquet_files_are_ignored() throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            dataset.write(List.of(record("web", "error", "2026-03-02T10:00:00Z", "b")));
        }
        Files.writeString(dataDir.resolve("logs/dt=2026-03-02/.quarry-0000000000000009-0000000000000009.parquet.tmp"),
                "half written");

        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            assertThat(engine.run(bind(CannedQuery.VOLUME_BY_DAY, "2026-03-01", "2026-03-03")))
                    .containsExactly(List.of("2026-03-02", 1L));
        }
    }

    @Test
    void files_written_after_the_engine_started_are_read() throws Exception {
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
                TestingDataset dataset = TestingDataset.in(dataDir)) {
            assertThat(engine.run(bind(CannedQuery.VOLUME_BY_DAY, "2026-03-01", "2026-03-03"))).isEmpty();

            dataset.write(List.of(record("web", "error", "2026-03-02T10:00:00Z", "b")));
            assertThat(engine.run(bind(CannedQuery.VOLUME_BY_DAY, "2026-03-01", "2026-03-03")))
                    .containsExactly(List.of("2026-03-02", 1L));

            dataset.write(List.of(record("web", "error", "2026-03-02T11:00:00Z", "b")));
            assertThat(engine.run(bind(CannedQuery.VOLUME_BY_DAY, "2026-03-01", "2026-03-03")))
                    .containsExactly(List.of("2026-03-02", 2L));
        }
    }

    private static BoundQuery bind(CannedQuery query, String from, String to) throws Exception {
        return SummaryRequest.parse(query, Map.of("from", List.of(from), "to", List.of(to)), LocalDate.parse(to))
                .bind();
    }

    private List<Path> parquetFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
    }

    /** The one parquet scan in DuckDB's JSON profile. */
    private static JsonNode tableScan(JsonNode profile) {
        List<JsonNode> scans = new ArrayList<>();
        collectScans(profile, scans);
        assertThat(scans).as("parquet scans in " + profile).hasSize(1);
        return scans.get(0);
    }

    private static void collectScans(JsonNode node, List<JsonNode> scans) {
        if (node.isArray()) {
            node.forEach(child -> collectScans(child, scans));
            return;
        }
        if ("READ_PARQUET".equals(node.path("extra_info").path("Function").asText())) {
            scans.add(node);
        }
        node.path("children").forEach(child -> collectScans(child, scans));
        // DuckDB 2 puts the plan's root under "operator", beside "io" and the optimizer's timings.
        node.path("operator").forEach(child -> collectScans(child, scans));
    }
}
