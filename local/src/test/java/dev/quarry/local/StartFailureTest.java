package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.local.config.LocalConfig;
import io.quarkus.runtime.QuarkusBindException;
import io.smallrye.config.ConfigValidationException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class StartFailureTest {
    @Test
    void a_port_in_use_says_that_quarkus_http_port_chooses_another_and_suggests_no_kill() {
        var failure = new RuntimeException("start failed", new QuarkusBindException("localhost", 8080,
                new BindException("Address already in use")));

        assertThat(StartFailure.describe(failure)).hasValue("Port 8080 is in use by another process; choose another"
                + " with QUARKUS_HTTP_PORT (e.g. QUARKUS_HTTP_PORT=8081 scripts/run-local)");
        assertThat(StartFailure.describe(failure).get()).doesNotContain("kill");
    }

    @Test
    void a_bad_setting_names_the_property_and_its_environment_variable() {
        var failure = new ConfigValidationException(new ConfigValidationException.Problem[] {
                new ConfigValidationException.Problem("SRCFG00039: The config property quarry.flush.max-age with the"
                        + " config value \"soon\" threw an Exception whilst being converted Invalid duration: soon")});

        assertThat(StartFailure.describe(failure)).hasValue("Cannot start, because a setting is invalid: The config"
                + " property quarry.flush.max-age (QUARRY_FLUSH_MAX_AGE) with the config value \"soon\" threw an"
                + " Exception whilst being converted Invalid duration: soon");
    }

    @Test
    void every_other_failure_is_left_to_the_stack_trace() {
        assertThat(StartFailure.describe(new IllegalStateException("boom"))).isEmpty();
    }

    @Test
    void the_environment_variable_of_a_property_is_its_name_in_capitals_with_underscores() {
        assertThat(LocalConfig.environmentVariable("quarry.summary.query-threads")).isEqualTo("QUARRY_SUMMARY_QUERY_THREADS");
    }
}
