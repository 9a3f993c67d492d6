package dev.quarry.deploy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestingFirehoseTest {

    @AfterEach
    void useTheInstalledJq() {
        System.clearProperty("quarry.jq");
    }

    @Test
    void without_jq_the_tests_fail_saying_how_to_install_it() {
        System.setProperty("quarry.jq", "/nonexistent/jq");

        assertThatThrownBy(() -> TestingFirehose.jq(".", List.of("{}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("jq 1.6 is required").hasMessageContaining("apt-get install jq");
    }

    @Test
    void deaggregation_splits_objects_back_to_back_and_one_per_line() {
        assertThat(TestingFirehose.deaggregate("{\"a\":\"}{\"}{\"b\":[1,{}]}\n {\"c\":null}"))
                .containsExactly("{\"a\":\"}{\"}", "{\"b\":[1,{}]}", "{\"c\":null}");
        assertThatThrownBy(() -> TestingFirehose.deaggregate("{}[1]")).isInstanceOf(AssertionError.class);
    }
}
