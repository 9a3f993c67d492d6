package dev.quarry.local.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.record.LogRecord;
import dev.quarry.summary.QueryString;
import dev.quarry.summary.SummaryRequest.InvalidParametersException;
import dev.quarry.summary.SummaryRequest.Violation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TailFilterTest {
    private static final Instant T = Instant.parse("2026-12-02T10:15:30.123456Z");

    private static LogRecord record(String source, String logtype, String message, Map<String, String> attributes) {
        return new LogRecord(source, logtype, T, message, attributes, T, LocalDate.of(2026, 12, 2));
    }

    private static TailFilter parse(String query) throws InvalidParametersException {
        return TailFilter.parse(QueryString.decode(query));
    }

    private static List<Violation> refused(String query) {
        try {
            parse(query);
        } catch (InvalidParametersException e) {
            return e.violations();
        }
        throw new AssertionError(query + " was accepted");
    }

    @Test
    void no_parameters_match_every_record() throws Exception {
        TailFilter all = parse("");
        assertThat(all.matches(record("web-1", "info", "GET /", Map.of()))).isTrue();
    }

    @Test
    void source_and_logtype_are_exact() throws Exception {
        TailFilter filter = parse("source=web-1&logtype=error");
        assertThat(filter.matches(record("web-1", "error", "x", Map.of()))).isTrue();
        assertThat(filter.matches(record("web-10", "error", "x", Map.of()))).isFalse();
        assertThat(filter.matches(record("Web-1", "error", "x", Map.of()))).isFalse();
        assertThat(filter.matches(record("web-1", "error.x", "x", Map.of()))).isFalse();
    }

    @Test
    void q_is_a_substring_of_the_message_ignoring_case_and_its_wildcards_are_plain_characters() throws Exception {
        TailFilter disk = parse("q=DISK+Full");
        assertThat(disk.matches(record("s", "error", "the disk full again", Map.of()))).isTrue();
        assertThat(disk.matches(record("s", "error", "Disk FULL", Map.of()))).isTrue();
        assertThat(disk.matches(record("s", "error", "disk is full", Map.of()))).isFalse();
        TailFilter percent = parse("q=50%25_*%5C");
        assertThat(percent.matches(record("s", "info", "at 50%_*\\ done", Map.of()))).isTrue();
        assertThat(percent.matches(record("s", "info", "at 50xx*\\ done", Map.of()))).isFalse();
        assertThat(percent.matches(record("s", "info", "at 50% done", Map.of()))).isFalse();
    }

    @Test
    void attributes_are_exact_and_all_must_match() throws Exception {
        TailFilter filter = parse("attr.request_id=r-1&attr.k8s.pod%3Aname=api-7");
        assertThat(filter.attributes()).containsExactly(Map.entry("request_id", "r-1"),
                Map.entry("k8s.pod:name", "api-7"));
        assertThat(filter.matches(record("s", "info", "m", Map.of("request_id", "r-1", "k8s.pod:name", "api-7",
                "other", "x")))).isTrue();
        assertThat(filter.matches(record("s", "info", "m", Map.of("request_id", "r-1")))).isFalse();
        assertThat(filter.matches(record("s", "info", "m", Map.of("request_id", "R-1", "k8s.pod:name", "api-7"))))
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "source=                | source  | must not be empty",
            "logtype=Error          | logtype | must match",
            "q=                     | q       | must be 1 to 200 characters, not 0",
            "attr.=x                | attr.   | the key after 'attr.' must be 1 to 64",
            "attr.a%20b=x           | attr.a b| the key after 'attr.' must be 1 to 64",
            "attr.a=                | attr.a  | must be 1 to 1024 characters, not 0",
            "from=2026-12-01        | from    | does not apply to /tail",
            "cursor=abc             | cursor  | does not apply to /tail",
            "limit=5                | limit   | does not apply to /tail",
            "q=a&q=b                | q       | is given 2 times",
            "source=%ZZ             | source  | cannot be decoded"})
    void each_bad_parameter_is_named(String query, String parameter, String detail) {
        List<Violation> violations = refused(query);
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).parameter()).isEqualTo(parameter);
        assertThat(violations.get(0).detail()).contains(detail);
    }

    @Test
    void unknown_parameters_and_too_many_attributes_are_refused_once_each() {
        List<Violation> violations = refused("key=secret&attr.a=1&attr.b=2&attr.c=3&attr.d=4&attr.e=5&attr.f=6&x=1");
        assertThat(violations).extracting(Violation::detail).containsExactly(
                "at most 5 attr.<key> filters may be given, not 6",
                "unknown parameters 'key', 'x' (the parameters of /tail are source, logtype, q, attr.<key>)");
    }

    @Test
    void q_and_values_count_characters_not_utf16_units() throws Exception {
        String emoji = "😀".repeat(200);
        assertThat(parse("q=" + emoji).q()).hasValue(emoji);
        assertThat(refused("q=" + emoji + "x")).extracting(Violation::detail)
                .containsExactly("must be 1 to 200 characters, not 201");
    }

    /**
     * q ignores case as the engines' lower() does, code point by code point (what a search finds, a tail follows),
     * not as Java's context-sensitive String.toLowerCase: a Σ inside a word, İ.
     */
    @Test
    void q_ignores_case_as_the_engines_lower_does() throws Exception {
        assertThat(parse("q=%CE%9F%CE%94%CE%9F%CE%A3").matches(record("s", "info", "ΟΔΟΣΤΡΩΜΑ", Map.of()))).isTrue();
        assertThat(parse("q=" + java.net.URLEncoder.encode("σίσυφοσ", java.nio.charset.StandardCharsets.UTF_8))
                .matches(record("s", "info", "ΣΊΣΥΦΟΣ", Map.of()))).isTrue();
        assertThat(parse("q=istanbul").matches(record("s", "info", "İSTANBUL", Map.of()))).isTrue();
        assertThat(parse("q=%F0%90%90%80").matches(record("s", "info", "x \uD801\uDC28 y", Map.of())))
                .as("a code point beyond the BMP").isTrue();
    }

    /** Over seeded random records and filters, the filter agrees with the contract's rules written out plainly. */
    @Test
    void matching_agrees_with_the_rules_over_random_records() throws Exception {
        Random random = new Random(21);
        String[] sources = {"web-1", "web-2", "Web-1"};
        String[] logtypes = {"info", "error", "security.alert"};
        String[] words = {"Disk", "full", "%", "_", "\\", "*", "ÄÖ", "äö", "timeout", " "};
        for (int i = 0; i < 2000; i++) {
            StringBuilder message = new StringBuilder();
            for (int w = random.nextInt(6); w >= 0; w--) {
                message.append(words[random.nextInt(words.length)]);
            }
            Map<String, String> attributes = random.nextBoolean() ? Map.of("request_id", "r-" + random.nextInt(3))
                    : Map.of();
            LogRecord record = record(sources[random.nextInt(3)], logtypes[random.nextInt(3)], message.toString(),
                    attributes);
            String source = random.nextBoolean() ? sources[random.nextInt(3)] : null;
            String logtype = random.nextBoolean() ? logtypes[random.nextInt(3)] : null;
            String q = random.nextBoolean() ? words[random.nextInt(words.length)] + words[random.nextInt(words.length)]
                    : null;
            String requestId = random.nextInt(3) == 0 ? "r-" + random.nextInt(3) : null;
            Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
            if (source != null) {
                parameters.put("source", List.of(source));
            }
            if (logtype != null) {
                parameters.put("logtype", List.of(logtype));
            }
            if (q != null) {
                parameters.put("q", List.of(q));
            }
            if (requestId != null) {
                parameters.put("attr.request_id", List.of(requestId));
            }
            boolean expected = (source == null || source.equals(record.source()))
                    && (logtype == null || logtype.equals(record.logtype()))
                    && (q == null || record.message().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)))
                    && (requestId == null || requestId.equals(record.attributes().get("request_id")));
            assertThat(TailFilter.parse(QueryString.of(parameters)).matches(record)).as("%s on %s", parameters, record)
                    .isEqualTo(expected);
        }
    }

    @Test
    void a_refusal_says_every_violation_in_its_message() {
        assertThatThrownBy(() -> parse("logtype=A&q=")).isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("parameter 'logtype'").hasMessageContaining("parameter 'q'");
    }
}
