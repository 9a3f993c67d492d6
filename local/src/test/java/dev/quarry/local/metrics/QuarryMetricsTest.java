package dev.quarry.local.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The counters' names are what dashboards and {@code scripts/bench} read at {@code /q/metrics}. */
class QuarryMetricsTest {

    @Test
    void registers_every_counter_under_its_name_with_a_description() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new QuarryMetrics(registry);
        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName()).containsExactlyInAnyOrder(
                "quarry.ingest.requests", "quarry.ingest.records", "quarry.flush.runs", "quarry.flush.records",
                "quarry.flush.files", "quarry.compaction.runs", "quarry.compaction.files.in",
                "quarry.compaction.files.out", "quarry.compaction.bytes.in", "quarry.compaction.bytes.out",
                "quarry.compaction.records", "quarry.compaction.seconds", "quarry.retention.days.removed");
        assertThat(registry.getMeters()).extracting(Meter::getId).allSatisfy(id ->
                assertThat(id.getDescription()).isNotBlank());
    }

    @Test
    void counts_what_each_step_reports() {
        QuarryMetrics metrics = new QuarryMetrics(new SimpleMeterRegistry());
        metrics.ingested(3);
        metrics.flushed(4, 2);
        metrics.flushed(0, 0);
        metrics.compacted(5, 1000, 400, 4, 0.5);
        metrics.removedDay();

        assertThat(metrics.count(QuarryMetrics.Count.INGEST_REQUESTS)).isEqualTo(1);
        assertThat(metrics.count(QuarryMetrics.Count.INGEST_RECORDS)).isEqualTo(3);
        assertThat(metrics.count(QuarryMetrics.Count.FLUSH_RUNS)).isEqualTo(1);
        assertThat(metrics.count(QuarryMetrics.Count.FLUSH_RECORDS)).isEqualTo(4);
        assertThat(metrics.count(QuarryMetrics.Count.FLUSH_FILES)).isEqualTo(2);
        assertThat(metrics.count(QuarryMetrics.Count.COMPACTION_FILES_IN)).isEqualTo(5);
        assertThat(metrics.count(QuarryMetrics.Count.COMPACTION_BYTES_OUT)).isEqualTo(400);
        assertThat(metrics.count(QuarryMetrics.Count.COMPACTION_RECORDS)).isEqualTo(4);
        assertThat(metrics.count(QuarryMetrics.Count.COMPACTION_SECONDS)).isEqualTo(0.5);
        assertThat(metrics.count(QuarryMetrics.Count.RETENTION_DAYS_REMOVED)).isEqualTo(1);
    }

    @Test
    void a_duckdb_database_has_a_memory_and_a_spill_gauge_read_when_scraped() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong(1024);
        new QuarryMetrics(registry).duckDb("merge", held::get, () -> 7);
        held.set(4096);

        assertThat(registry.get("quarry.duckdb.memory").tag("database", "merge").gauge().value()).isEqualTo(4096);
        assertThat(registry.get("quarry.duckdb.temporary").tag("database", "merge").gauge().value()).isEqualTo(7);
        assertThat(registry.get("quarry.duckdb.memory").gauge().getId().getBaseUnit()).isEqualTo("bytes");
    }
}
