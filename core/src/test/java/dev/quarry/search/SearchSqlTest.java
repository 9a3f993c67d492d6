package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.summary.QueryString;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** q's case-sensitive prefilter in {@code sql/search.sql}: which run of q it binds, and why that keeps answers equal. */
class SearchSqlTest {

    @Test
    void the_prefilter_is_the_longest_run_of_ascii_non_letters_of_at_least_three() {
        assertThat(SearchSql.caseInvariantRun("order 538402:")).isEqualTo(" 538402:");
        assertThat(SearchSql.caseInvariantRun("GET /api/v1/items 500")).isEqualTo(" 500");
        assertThat(SearchSql.caseInvariantRun("a 12 b 345 c")).isEqualTo(" 345 ");
        assertThat(SearchSql.caseInvariantRun("50% of 5_s")).isEqualTo("50% ");
        assertThat(SearchSql.caseInvariantRun("12:00 and 13:00")).as("the first of equal runs").isEqualTo("12:00 ");
        assertThat(SearchSql.caseInvariantRun("timed out")).isEmpty();
        assertThat(SearchSql.caseInvariantRun("Order 12")).isEqualTo(" 12");
        assertThat(SearchSql.caseInvariantRun("x12")).isEmpty();
        assertThat(SearchSql.caseInvariantRun("é 12é")).as("non-ASCII ends a run").isEqualTo(" 12");
        assertThat(SearchSql.caseInvariantRun("ÉÉÉ")).isEmpty();
    }

    @Test
    void no_other_code_point_lower_cases_to_a_character_of_a_run() {
        // lower() on Trino (Character.toLowerCase) and DuckDB (utf8proc, the same Unicode data) maps code point by
        // code point; a run's characters must have no other preimage, or a message could match q without the run.
        for (int cp = Character.MIN_CODE_POINT; cp <= Character.MAX_CODE_POINT; cp++) {
            int lower = Character.toLowerCase(cp);
            if (lower < 0x80 && SearchSql.caseInvariant((char) lower)) {
                assertThat(cp).as("U+%04X lower-cases to '%c'", cp, (char) lower).isEqualTo(lower);
            }
        }
    }

    @Test
    void every_message_matching_q_ignoring_case_holds_its_run_exactly() {
        Random random = new Random(21);
        String alphabet = "aAbB zZ0123456789:%_\\*-/.'éÉßΣσς\nİiKk";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder message = new StringBuilder();
            for (int c = 0, n = 1 + random.nextInt(30); c < n; c++) {
                message.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int start = random.nextInt(message.length());
            StringBuilder q = new StringBuilder();
            for (int c = start, end = start + 1 + random.nextInt(message.length() - start); c < end; c++) {
                char ch = message.charAt(c);
                q.append(random.nextBoolean() ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            }
            String run = SearchSql.caseInvariantRun(q.toString());
            if (lower(message.toString()).contains(lower(q.toString()))) {
                assertThat(message.toString()).as("q '%s'", q).contains(run);
            }
        }
    }

    @Test
    void the_run_is_bound_twice_before_q_and_empty_without_q() throws Exception {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        List<String> withQ = SearchSql.bind(SearchRequest.parse(QueryString.decode("q=Order+538402%3A"), now), false)
                .parameters();
        List<String> withoutQ = SearchSql.bind(SearchRequest.parse(QueryString.decode(""), now), false).parameters();

        assertThat(withQ.subList(9, 13)).containsExactly(" 538402:", " 538402:", "Order 538402:", "Order 538402:");
        assertThat(withoutQ.subList(9, 13)).containsExactly("", "", "", "");
        assertThat(withQ).hasSize(28);
    }

    @Test
    void lower_maps_code_point_by_code_point_as_the_engines_do() {
        String plain = "already lower 123 %_";
        assertThat(SearchSql.lower(plain)).isSameAs(plain);
        assertThat(SearchSql.lower("ΣΊΣΥΦΟΣ")).isEqualTo("σίσυφοσ");
        assertThat(SearchSql.lower("İSTANBUL")).isEqualTo("istanbul");
        assertThat(SearchSql.lower("ab\uD801\uDC00Ä")).isEqualTo("ab\uD801\uDC28ä");
        assertThat(SearchSql.lower("Straße ẞ")).isEqualTo("straße ß");
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int c = random.nextInt(12); c >= 0; c--) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x11000) : 'A' + random.nextInt(58));
            }
            assertThat(SearchSql.lower(text.toString())).isEqualTo(lower(text.toString()));
        }
    }

    /** SQL's lower(): code point by code point. */
    private static String lower(String text) {
        StringBuilder lower = new StringBuilder();
        text.codePoints().forEach(c -> lower.appendCodePoint(Character.toLowerCase(c)));
        return lower.toString();
    }
}
