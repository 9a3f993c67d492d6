package dev.quarry.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AthenaConfigTest {
    @Test
    void defaults_are_pinned() {
        assertThat(AthenaConfig.defaults()).isEqualTo(new AthenaConfig("quarry", "quarry", "logs", 10_080));
        assertThat(AthenaQueryEngine.DEFAULT_TIME_BUDGET).hasSeconds(20);
    }

    @Test
    void names_that_could_leave_their_quotes_are_refused() {
        assertThatThrownBy(() -> new AthenaConfig("quarry", "quarry", "logs\" --", 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> new AthenaConfig("quarry", "Quarry", "logs", 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
        assertThatThrownBy(() -> new AthenaConfig("quarry", "quarry", "", 60))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AthenaConfig("my workgroup", "quarry", "logs", 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workgroup");
        assertThatThrownBy(() -> new AthenaConfig("quarry", "quarry", "logs\n", 60))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void result_reuse_is_zero_to_seven_days() {
        assertThat(new AthenaConfig("quarry", "quarry", "logs", 0).resultReuseMaxAgeMinutes()).isZero();
        assertThatThrownBy(() -> new AthenaConfig("quarry", "quarry", "logs", 10_081))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AthenaConfig("quarry", "quarry", "logs", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
