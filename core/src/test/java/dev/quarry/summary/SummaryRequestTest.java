package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SummaryRequestTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-03-10");

    @Test
    void without_parameters_the_range_is_the_last_seven_days_ending_today() throws Exception {
        SummaryRequest request = parse(CannedQuery.VOLUME_BY_DAY, Map.of());

        assertThat(request.from()).isEqualTo(LocalDate.parse("2026-03-04"));
        assertThat(request.to()).isEqualTo(TODAY);
        assertThat(request.source()).isEmpty();
        assertThat(request.logtype()).isEmpty();
        assertThat(request.limit()).isEmpty();
    }

    @Test
    void only_to_given_means_the_seven_days_ending_there() throws Exception {
        SummaryRequest request = parse(CannedQuery.VOLUME_BY_DAY, Map.of("to", "2026-02-01"));

        assertThat(request.from()).isEqualTo(LocalDate.parse("2026-01-26"));
        assertThat(request.to()).isEqualTo(LocalDate.parse("2026-02-01"));
    }

    @Test
    void only_from_given_means_from_there_to_today() throws Exception {
        SummaryRequest request = parse(CannedQuery.VOLUME_BY_DAY, Map.of("from", "2026-02-01"));

        assertThat(request.from()).isEqualTo(LocalDate.parse("2026-02-01"));
        assertThat(request.to()).isEqualTo(TODAY);
    }

    @Test
    void a_one_day_range_is_allowed() throws Exception {
        SummaryRequest request = parse(CannedQuery.VOLUME_BY_DAY, Map.of("from", "2026-03-01", "to", "2026-03-01"));

        assertThat(request.from()).isEqualTo(request.to());
    }

    @Test
    void a_range_of_ninety_two_days_is_allowed_and_of_ninety_three_refused() throws Exception {
        SummaryRequest longest = parse(CannedQuery.VOLUME_BY_DAY, Map.of("from", "2026-01-01", "to", "2026-04-02"));
        assertThat(longest.to()).isEqualTo(LocalDate.parse("2026-04-02"));

        assertRefused(CannedQuery.VOLUME_BY_DAY, Map.of("from", "2026-01-01", "to", "2026-04-03"), "to",
                "spans 93 days; it may span at most 92");
    }

    @Test
    void from_after_to_is_refused() {
        assertRefused(CannedQuery.VOLUME_BY_DAY, Map.of("from", "2026-03-02", "to", "2026-03-01"), "from",
                "must not be after 'to'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-3-01", "20260301", "2026-03-01T00:00:00Z", "2026-03-01\n", " 2026-03-01", "",
        "yesterday", "2026-03-1"})
    void daysMustBeWrittenYyyyMmDd(String day) {
        assertRefused(CannedQuery.VOLUME_BY_DAY, Map.of("from", day, "to", "2026-03-05"), "from",
                "must be a UTC day YYYY-MM-DD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "2026-13-01", "2026-00-10"})
    void days_must_be_calendar_days(String day) {
        assertRefused(CannedQuery.VOLUME_BY_DAY, Map.of("to", day), "to", "is not a calendar day");
    }

    @Test
    void source_and_logtype_filters_are_kept() throws Exception {
        SummaryRequest request = parse(CannedQuery.EVENTS_BY_SOURCE, Map.of("source", "o'brien", "logtype",
                "security.alert"));

        assertThat(request.source()).contains("o'brien");
        assertThat(request.logtype()).contains("security.alert");
    }

    @Test
    void source_follows_the_record_rules() {
        assertRefused(CannedQuery.VOLUME_BY_DAY, Map.of("source", ""), "source", "must not be empty");
        assertRefused(CannedQuery.VOLUME_BY_DAY, Map.of("source", "a\tb"), "source", "control characters");
        assertRefused(CannedQuery.VOLUME_BY_DAY, Map.of("source", "x".repeat(129)), "source", "at most 128");
    }

    @Test
    void a_source_of_128_characters_is_allowed() throws Exception {
        assertThat(parse(CannedQuery.VOLUME_BY_DAY, Map.of("source", "x".repeat(128))).source()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Error", "1error", "", "error\n", "abcdefghijabcdefghijabcdefghijabc", "err or", "error'"})
    void logtype_follows_the_record_rules(String logtype) {
        assertRefused(CannedQuery.EVENTS_BY_LOGTYPE, Map.of("logtype", logtype), "logtype",
                "must match ^[a-z][a-z0-9_.-]{0,31}$");
    }

    @Test
    void top_messages_counts_errors_by_default_and_takes_another_logtype() throws Exception {
        assertThat(parse(CannedQuery.TOP_MESSAGES, Map.of()).logtype()).contains("error");
        assertThat(parse(CannedQuery.TOP_MESSAGES, Map.of("logtype", "info")).logtype()).contains("info");
    }

    @Test
    void errors_by_hour_takes_no_other_logtype_than_error() {
        assertRefused(CannedQuery.ERRORS_BY_HOUR, Map.of("logtype", "info"), "logtype",
                "does not apply to errors-by-hour, which counts logtype 'error' only");
    }

    @Test
    void errors_by_hour_takes_logtype_error_as_the_same_request_as_none() throws Exception {
        SummaryRequest plain = parse(CannedQuery.ERRORS_BY_HOUR, Map.of());
        SummaryRequest error = parse(CannedQuery.ERRORS_BY_HOUR, Map.of("logtype", "error"));

        assertThat(error).isEqualTo(plain);
        assertThat(error.logtype()).isEmpty();
    }

    @Test
    void limit_defaults_to_ten_for_top_messages() throws Exception {
        assertThat(parse(CannedQuery.TOP_MESSAGES, Map.of()).limit()).contains(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "42", "100"})
    void limit_from_one_to_one_hundred_is_allowed(String limit) throws Exception {
        assertThat(parse(CannedQuery.TOP_MESSAGES, Map.of("limit", limit)).limit()).contains(Integer.parseInt(limit));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "+5", "05", "1.0", "ten", "", "10 ", "99999999999", "1; DROP TABLE logs"})
    void other_limits_are_refused(String limit) {
        assertRefused(CannedQuery.TOP_MESSAGES, Map.of("limit", limit), "limit", "must be an integer from 1 to 100");
    }

    @Test
    void limit_applies_only_to_top_messages() {
        for (CannedQuery query : CannedQuery.values()) {
            if (query != CannedQuery.TOP_MESSAGES) {
                assertRefused(query, Map.of("limit", "5"), "limit", "applies only to top-messages");
            }
        }
    }

    @Test
    void unknown_parameters_are_refused_by_name() {
        assertThatThrownBy(() -> parse(CannedQuery.VOLUME_BY_DAY, Map.of(" source", "web", "form", "2026-03-01")))
                .isInstanceOfSatisfying(SummaryRequest.InvalidParametersException.class, e ->
                        assertThat(e.getMessage()).contains("unknown parameters ' source', 'form'"));
    }

    @Test
    void a_parameter_given_twice_is_refused() {
        assertThatThrownBy(() -> SummaryRequest.parse(CannedQuery.VOLUME_BY_DAY,
                Map.of("source", List.of("a", "b")), TODAY))
                .isInstanceOfSatisfying(SummaryRequest.InvalidParametersException.class, e ->
                        assertThat(e.violations()).singleElement().satisfies(v -> {
                            assertThat(v.parameter()).isEqualTo("source");
                            assertThat(v.detail()).contains("2 times");
                        }));
    }

    @Test
    void every_violation_is_reported() {
        assertThatThrownBy(() -> parse(CannedQuery.TOP_MESSAGES, Map.of("from", "x", "limit", "0", "logtype", "X")))
                .isInstanceOfSatisfying(SummaryRequest.InvalidParametersException.class, e ->
                        assertThat(e.violations()).extracting(SummaryRequest.Violation::parameter)
                                .containsExactlyInAnyOrder("from", "limit", "logtype"));
    }

    @Test
    void binding_gives_one_value_for_each_placeholder_with_empty_strings_for_absent_filters() throws Exception {
        BoundQuery volume = parse(CannedQuery.VOLUME_BY_DAY, Map.of("from", "2026-03-01", "to", "2026-03-03",
                "logtype", "info")).bind();
        BoundQuery top = parse(CannedQuery.TOP_MESSAGES, Map.of("from", "2026-03-01", "to", "2026-03-03",
                "source", "web", "limit", "3")).bind();

        assertThat(volume.parameters()).containsExactly("2026-03-01", "2026-03-03", "", "", "info", "info");
        assertThat(top.parameters()).containsExactly("2026-03-01", "2026-03-03", "error", "web", "web");
        assertThat(top.sql()).endsWith("LIMIT 3").doesNotContain(CannedQuery.LIMIT_TOKEN);
        assertThat(top.sqlFor("t")).contains("FROM t").doesNotContain(CannedQuery.TABLE_TOKEN);
    }

    private static SummaryRequest parse(CannedQuery query, Map<String, String> parameters)
            throws SummaryRequest.InvalidParametersException {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        parameters.forEach((name, value) -> multi.put(name, List.of(value)));
        return SummaryRequest.parse(query, multi, TODAY);
    }

    private static void assertRefused(CannedQuery query, Map<String, String> parameters, String parameter,
            String detail) {
        assertThatThrownBy(() -> parse(query, parameters))
                .isInstanceOfSatisfying(SummaryRequest.InvalidParametersException.class, e ->
                        assertThat(e.violations()).singleElement().satisfies(v -> {
                            assertThat(v.parameter()).isEqualTo(parameter);
                            assertThat(v.detail()).contains(detail);
                        }));
    }

}
