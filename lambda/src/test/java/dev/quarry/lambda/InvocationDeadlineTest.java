package dev.quarry.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvocationDeadlineTest {

    @Test
    void the_query_budget_is_the_remaining_time_less_the_margin_and_never_negative() {
        assertThat(InvocationDeadline.budget(30_000)).hasMillis(27_000);
        assertThat(InvocationDeadline.budget(1_000)).isZero();
    }
}
