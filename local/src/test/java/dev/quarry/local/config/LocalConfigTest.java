package dev.quarry.local.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins every key and default of the local pipeline's configuration (README "Configuration"). */
class LocalConfigTest {

    private static LocalConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(LocalConfig.class)
                // Quarkus reads durations such as 5s and 250ms with this converter.
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new MapBackedConfigSource("test", values) {
                })
                .build();
        return config.getConfigMapping(LocalConfig.class);
    }

    @Test
    void the_defaults() {
        LocalConfig config = config(Map.of());
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.apiKey()).isEmpty();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.readKey()).isEmpty();
        assertThat(config.flush().maxAge()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.flush().maxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.flush().checkInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.ingest().workers()).isZero();
        assertThat(config.ingest().maxPending()).isEqualTo(1024);
        assertThat(config.retentionDays()).isEmpty();
        assertThat(config.compaction().targetFileBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(config.compaction().quietAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.compaction().gracePeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.compaction().checkInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.duckdb().queryMemoryLimit()).isEqualTo("1GB");
        assertThat(config.duckdb().queryThreads()).isZero();
        assertThat(config.duckdb().flushMemoryLimit()).isEqualTo("512MB");
        assertThat(config.duckdb().mergeMemoryLimit()).isEqualTo("256MB");
        assertThat(config.summary().queryThreads()).isEqualTo(4);
        assertThat(config.summary().maxPending()).isEqualTo(64);
        assertThat(config.tail().maxClients()).isEqualTo(32);
        assertThat(config.tail().keepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(LocalConfig.refusal(config)).isEmpty();
    }

    @Test
    void the_pool_sizes_can_be_set() {
        LocalConfig config = config(Map.of("quarry.summary.query-threads", "2", "quarry.summary.max-pending", "1",
                "quarry.ingest.workers", "0", "quarry.ingest.max-pending", "1"));
        assertThat(config.summary().queryThreads()).isEqualTo(2);
        assertThat(config.summary().maxPending()).isEqualTo(1);
        assertThat(LocalConfig.refusal(config)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "quarry.summary.query-threads, 0, QUARRY_SUMMARY_QUERY_THREADS, 1",
            "quarry.summary.query-threads, -1, QUARRY_SUMMARY_QUERY_THREADS, 1",
            "quarry.summary.max-pending, 0, QUARRY_SUMMARY_MAX_PENDING, 1",
            "quarry.summary.max-pending, -64, QUARRY_SUMMARY_MAX_PENDING, 1",
            "quarry.ingest.max-pending, 0, QUARRY_INGEST_MAX_PENDING, 1",
            "quarry.ingest.workers, -1, QUARRY_INGEST_WORKERS, 0",
            "quarry.tail.max-clients, -1, QUARRY_TAIL_MAX_CLIENTS, 0"})
    void refuses_a_pool_that_cannot_start(String key, String value, String variable, int minimum) {
        assertThat(LocalConfig.refusal(config(Map.of(key, value)))).hasValue("Cannot start with " + key + " = "
                + value + ", because " + key + " (" + variable + ") must be at least " + minimum);
    }

    @Test
    void every_key() {
        LocalConfig config = config(Map.ofEntries(
                Map.entry("quarry.data-dir", "/srv/quarry"),
                Map.entry("quarry.api-key", "k"),
                Map.entry("quarry.read-key", "r"),
                Map.entry("quarry.shutdown-timeout", "7s"),
                Map.entry("quarry.flush.max-age", "2s"),
                Map.entry("quarry.flush.max-bytes", "1000"),
                Map.entry("quarry.flush.check-interval", "100ms"),
                Map.entry("quarry.ingest.workers", "3"),
                Map.entry("quarry.ingest.max-pending", "10"),
                Map.entry("quarry.retention-days", "30"),
                Map.entry("quarry.compaction.target-file-bytes", "5000"),
                Map.entry("quarry.compaction.quiet-after", "3s"),
                Map.entry("quarry.compaction.grace-period", "2s"),
                Map.entry("quarry.compaction.check-interval", "200ms"),
                Map.entry("quarry.summary.query-threads", "8"),
                Map.entry("quarry.summary.max-pending", "16"),
                Map.entry("quarry.tail.max-clients", "4"),
                Map.entry("quarry.tail.keep-alive", "1s")));
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/quarry"));
        assertThat(config.apiKey()).hasValue("k");
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.readKey()).hasValue("r");
        assertThat(config.flush().maxAge()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.flush().maxBytes()).isEqualTo(1000);
        assertThat(config.flush().checkInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.ingest().workers()).isEqualTo(3);
        assertThat(config.ingest().maxPending()).isEqualTo(10);
        assertThat(config.retentionDays()).hasValue(30);
        assertThat(config.compaction().targetFileBytes()).isEqualTo(5000);
        assertThat(config.compaction().quietAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.compaction().gracePeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.compaction().checkInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.summary().queryThreads()).isEqualTo(8);
        assertThat(config.summary().maxPending()).isEqualTo(16);
        assertThat(config.tail().maxClients()).isEqualTo(4);
        assertThat(config.tail().keepAlive()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refuses_a_keep_alive_that_is_not_positive() {
        assertThat(LocalConfig.refusal(config(Map.of("quarry.tail.keep-alive", "0s")))).hasValue("Cannot start with"
                + " quarry.tail.keep-alive = PT0S, because quarry.tail.keep-alive (QUARRY_TAIL_KEEP_ALIVE) must be a"
                + " positive duration");
    }
}
