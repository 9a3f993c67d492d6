package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void pairsAreSeparatedByAmpersandOnlyAndKeepEveryValueInOrder() {
        QueryString decoded = QueryString.decode("source=a;b&source=c&&flag&=lost&limit=");

        assertThat(decoded.parameters()).containsExactly(Map.entry("source", List.of("a;b", "c")),
                Map.entry("flag", List.of("")), Map.entry("limit", List.of("")));
        assertThat(decoded.malformed()).isEmpty();
    }

    @Test
    void plusIsASpaceAndEscapesAreUtf8() {
        assertThat(QueryString.decode("m=a+b%2Bc%20d&x=%C3%9C%F0%9F%9A%80&%73ource=%27").parameters())
                .containsExactly(Map.entry("m", List.of("a b+c d")), Map.entry("x", List.of("Ü🚀")),
                        Map.entry("source", List.of("'")));
    }

    @Test
    void charactersSentUnencodedAreTakenAsTheyAre() {
        assertThat(QueryString.decode("source=Ünïcode✓").parameters()).containsEntry("source", List.of("Ünïcode✓"));
    }

    @Test
    void aValueThatCannotBeDecodedIsReportedUnderItsNameAndLeavesNoValue() {
        QueryString decoded = QueryString.decode("source=ok&source=%FF&from=%ZZ&to=%2&logtype=%C3");

        assertThat(decoded.parameters()).isEmpty();
        assertThat(decoded.malformed()).containsOnlyKeys("source", "from", "to", "logtype");
        assertThat(decoded.malformed().get("source")).contains("not UTF-8");
        assertThat(decoded.malformed().get("from")).contains("'%ZZ'");
        assertThat(decoded.malformed().get("to")).contains("'%2'");
    }

    @Test
    void aNameThatCannotBeDecodedIsReportedAsSent() {
        assertThat(QueryString.decode("%FF=1&a%ZZ=2").malformed()).containsOnlyKeys("%FF", "a%ZZ");
    }

    @Test
    void inAPathSegmentPlusStaysAPlus() {
        assertThat(QueryString.decodeComponent("a+b%2Dc", false)).isEqualTo("a+b-c");
        assertThatThrownBy(() -> QueryString.decodeComponent("%zz", false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noQueryStringHasNoParameters() {
        assertThat(QueryString.decode(null).parameters()).isEmpty();
        assertThat(QueryString.decode("").parameters()).isEmpty();
    }
}
