package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        assertThat(config.readKey()).isEmpty();
        assertThat(config.flush().maxAge()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.flush().maxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.flush().checkInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.ingest().workers()).isZero();
        assertThat(config.ingest().maxPending()).isEqualTo(1024);
    }

    @Test
    void every_key() {
        LocalConfig config = config(Map.of(
                "quarry.data-dir", "/srv/quarry",
                "quarry.api-key", "k",
                "quarry.read-key", "r",
                "quarry.flush.max-age", "2s",
                "quarry.flush.max-bytes", "1000",
                "quarry.flush.check-interval", "100ms",
                "quarry.ingest.workers", "3",
                "quarry.ingest.max-pending", "10"));
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/quarry"));
        assertThat(config.apiKey()).hasValue("k");
        assertThat(config.readKey()).hasValue("r");
        assertThat(config.flush().maxAge()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.flush().maxBytes()).isEqualTo(1000);
        assertThat(config.flush().checkInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.ingest().workers()).isEqualTo(3);
        assertThat(config.ingest().maxPending()).isEqualTo(10);
    }
}
