package dev.quarry.local.table;

import static dev.quarry.local.TestingDataset.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.local.TestingDataset;
import dev.quarry.local.TestingStoredLogs;
import dev.quarry.local.metrics.QuarryMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T00:30:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void days_older_than_n_days_leave_the_table_at_once_and_the_disk_after_the_grace_period() throws Exception {
        TableState table = TableState.open(dataDir);
        try (TestingDataset dataset = TestingDataset.in(dataDir, table)) {
            dataset.write(List.of(record("a", "info", "2026-11-19T23:59:59Z", "eight days before"),
                    record("a", "info", "2026-11-20T00:00:00Z", "seven days before"),
                    record("a", "info", "2026-11-27T00:00:00Z", "today")));
        }
        QuarryMetrics metrics = new QuarryMetrics(new SimpleMeterRegistry());
        Retention retention = new Retention(table, new DeferredDeletion(scheduler, Duration.ofMillis(300)), 7,
                CLOCK, metrics);
        Path expired = dataDir.resolve("logs/dt=2026-11-19");

        assertThat(retention.oldestKept()).isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(retention.apply()).isEqualTo(1);

        assertThat(LiveFiles.forDays(dataDir, LocalDate.parse("2026-11-19"), LocalDate.parse("2026-11-19"))).isEmpty();
        assertThat(LiveFiles.forDays(dataDir, LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-27"))).hasSize(2);
        assertThat(expired.resolve(LiveFiles.MANIFEST)).exists();
        assertThat(metrics.count(QuarryMetrics.Count.RETENTION_DAYS_REMOVED)).isEqualTo(1.0);

        Thread.sleep(800);
        assertThat(expired).doesNotExist();
        assertThat(table.snapshot()).containsOnlyKeys(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-27"));
        assertThat(TestingStoredLogs.readDirectory(dataDir)).extracting(TestingStoredLogs.Stored::message)
                .containsExactlyInAnyOrder("seven days before", "today");
        assertThat(retention.apply()).isZero();
    }

    @Test
    void a_retention_below_one_day_is_refused() {
        assertThatThrownBy(() -> new Retention(null, null, 0, CLOCK, null))
                .hasMessageContaining("quarry.retention-days (QUARRY_RETENTION_DAYS) must be at least 1");
    }
}
