package dev.quarry.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionUrlRequestsTest {

    @Test
    void the_query_is_the_one_segment_after_summary() {
        assertThat(FunctionUrlRequests.queryName("/summary/volume-by-day")).contains("volume-by-day");
        assertThat(FunctionUrlRequests.queryName("/summary/top%2Dmessages")).contains("top-messages");
        assertThat(FunctionUrlRequests.queryName("/summary/a+b")).contains("a+b");
        assertThat(FunctionUrlRequests.queryName("/summary/")).isEmpty();
        assertThat(FunctionUrlRequests.queryName("/summary")).isEmpty();
        assertThat(FunctionUrlRequests.queryName("/summary/volume-by-day/extra")).isEmpty();
        assertThat(FunctionUrlRequests.queryName("/other/volume-by-day")).isEmpty();
        assertThat(FunctionUrlRequests.queryName("/summary/%zz")).isEmpty();
        assertThat(FunctionUrlRequests.queryName(null)).isEmpty();
    }

    @Test
    void repeated_names_keep_every_value_and_commas_stay_in_the_value() {
        assertThat(FunctionUrlRequests.parameters("source=a&source=b&logtype=x,y", Map.of("source", "a,b",
                "logtype", "x,y"))).isEqualTo(Map.of("source", List.of("a", "b"), "logtype", List.of("x,y")));
    }

    @Test
    void values_are_decoded_as_the_local_server_decodes_them() {
        assertThat(FunctionUrlRequests.parameters("source=o%27brien&message=a+b%20c;limit=&flag&=lost&&x=%C3%9C",
                null)).containsExactly(Map.entry("source", List.of("o'brien")), Map.entry("message", List.of("a b c")),
                Map.entry("limit", List.of("")), Map.entry("flag", List.of("")), Map.entry("x", List.of("Ü")));
    }

    @Test
    void without_a_raw_query_string_the_parsed_parameters_are_taken_as_they_are() {
        assertThat(FunctionUrlRequests.parameters(null, Map.of("from", "2026-11-20"))).isEqualTo(Map.of("from",
                List.of("2026-11-20")));
        assertThat(FunctionUrlRequests.parameters("", null)).isEmpty();
    }

    @Test
    void a_malformed_escape_is_refused() {
        assertThatThrownBy(() -> FunctionUrlRequests.parameters("from=%2", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated escape");
        assertThatThrownBy(() -> FunctionUrlRequests.parameters("from=%zz", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid hex byte");
        assertThatThrownBy(() -> FunctionUrlRequests.parameters("from=%C3", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid UTF-8");
    }

    @Test
    void headers_are_found_whatever_their_case() {
        assertThat(FunctionUrlRequests.header(Map.of("if-none-match", "\"a\""), "If-None-Match")).isEqualTo("\"a\"");
        assertThat(FunctionUrlRequests.header(Map.of("If-None-Match", "\"b\""), "If-None-Match")).isEqualTo("\"b\"");
        assertThat(FunctionUrlRequests.header(null, "If-None-Match")).isNull();
    }

    @Test
    void the_query_budget_is_the_remaining_time_less_the_margin_and_never_negative() {
        assertThat(InvocationDeadline.budget(30_000)).hasMillis(27_000);
        assertThat(InvocationDeadline.budget(1_000)).isZero();
    }
}
