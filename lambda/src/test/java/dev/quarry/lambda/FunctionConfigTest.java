package dev.quarry.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.athena.AthenaConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

    @Test
    void defaults_are_the_quarry_database_and_workgroup_the_logs_table_and_no_retention() {
        FunctionConfig config = config(Map.of());

        assertThat(config.database()).isEqualTo("quarry");
        assertThat(config.table()).isEqualTo("logs");
        assertThat(config.workgroup()).isEqualTo("quarry");
        assertThat(config.retentionDays()).isEmpty();
        assertThat(new AthenaConfig(config.workgroup(), config.database(), config.table(),
                AthenaConfig.MAX_RESULT_REUSE_MINUTES)).isEqualTo(AthenaConfig.defaults());
    }

    @Test
    void the_environment_names_them_quarry_database_table_workgroup_and_retention_days() {
        FunctionConfig config = config(Map.of("QUARRY_DATABASE", "analytics", "QUARRY_TABLE", "app_logs",
                "QUARRY_WORKGROUP", "analytics-wg", "QUARRY_RETENTION_DAYS", "30", "QUARRY_UNRELATED", "x"));

        assertThat(config.database()).isEqualTo("analytics");
        assertThat(config.table()).isEqualTo("app_logs");
        assertThat(config.workgroup()).isEqualTo("analytics-wg");
        assertThat(config.retentionDays()).contains(30);
    }

    @Test
    void an_empty_retention_keeps_every_day_and_an_empty_name_is_refused_at_start_naming_the_property() {
        assertThat(config(Map.of("QUARRY_RETENTION_DAYS", "")).retentionDays()).isEmpty();
        assertThatThrownBy(() -> config(Map.of("QUARRY_TABLE", ""))).hasMessageContaining("quarry.table");
    }

    private static FunctionConfig config(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                .withMapping(FunctionConfig.class)
                .build();
        return config.getConfigMapping(FunctionConfig.class);
    }
}
