package dev.quarry.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionFunctionConfigTest {

    @Test
    void defaults_are_the_quarry_database_and_the_logs_table() {
        PartitionFunctionConfig config = config(Map.of());

        assertThat(config.database()).isEqualTo("quarry");
        assertThat(config.table()).isEqualTo("logs");
    }

    @Test
    void the_environment_names_them_quarry_database_and_quarry_table() {
        PartitionFunctionConfig config = config(Map.of("QUARRY_DATABASE", "analytics", "QUARRY_TABLE", "app_logs"));

        assertThat(config.database()).isEqualTo("analytics");
        assertThat(config.table()).isEqualTo("app_logs");
    }

    private static PartitionFunctionConfig config(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                .withMapping(PartitionFunctionConfig.class)
                .build();
        return config.getConfigMapping(PartitionFunctionConfig.class);
    }
}
