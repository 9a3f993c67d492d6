package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void pairs_are_separated_by_ampersand_only_and_keep_every_value_in_order() {
        QueryString decoded = QueryString.decode("source=a;b&source=c&&flag&=lost&limit=");

        assertThat(decoded.parameters()).containsExactly(Map.entry("source", List.of("a;b", "c")),
                Map.entry("flag", List.of("")), Map.entry("limit", List.of("")));
        assertThat(decoded.malformed()).isEmpty();
    }

    @Test
    void plus_is_a_space_and_escapes_are_utf8() {
        assertThat(QueryString.decode("m=a+b%2Bc%20d&x=%C3%9C%F0%9F%9A%80&%73ource=%27").parameters())
                .containsExactly(Map.entry("m", List.of("a b+c d")), Map.entry("x", List.of("Ü🚀")),
                        Map.entry("source", List.of("'")));
    }

    @Test
    void characters_sent_unencoded_are_taken_as_they_are() {
        assertThat(QueryString.decode("source=Ünïcode✓").parameters()).containsEntry("source", List.of("Ünïcode✓"));
    }

    @Test
    void a_value_that_cannot_be_decoded_is_reported_under_its_name_and_leaves_no_value() {
        QueryString decoded = QueryString.decode("source=ok&source=%FF&from=%ZZ&to=%2&logtype=%C3");

        assertThat(decoded.parameters()).isEmpty();
        assertThat(decoded.malformed()).containsOnlyKeys("source", "from", "to", "logtype");
        assertThat(decoded.malformed().get("source")).contains("not UTF-8");
        assertThat(decoded.malformed().get("from")).contains("'%ZZ'");
        assertThat(decoded.malformed().get("to")).contains("'%2'");
    }

    @Test
    void a_name_that_cannot_be_decoded_is_reported_as_sent() {
        assertThat(QueryString.decode("%FF=1&a%ZZ=2").malformed()).containsOnlyKeys("%FF", "a%ZZ");
    }

    @Test
    void in_a_path_segment_plus_stays_a_plus() {
        assertThat(QueryString.decodeComponent("a+b%2Dc", false)).isEqualTo("a+b-c");
        assertThatThrownBy(() -> QueryString.decodeComponent("%zz", false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void no_query_string_has_no_parameters() {
        assertThat(QueryString.decode(null).parameters()).isEmpty();
        assertThat(QueryString.decode("").parameters()).isEmpty();
    }
}
