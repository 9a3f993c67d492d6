package dev.quarry.record;

import static dev.quarry.testing.TestingCases.between;
import static dev.quarry.testing.TestingCases.cases;
import static dev.quarry.testing.TestingCases.oneOf;
import static dev.quarry.testing.TestingCases.weighted;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.quarry.testing.TestingCases;
import dev.quarry.testing.TestingCases.Case;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests of {@link RecordParser} (named *Test so that surefire's default includes run it): messages
 * survive byte-exact, and the parser agrees with the whole draft-04 schema except where only code can refuse.
 */
class RecordParserPropertiesTest {
    private static final RecordParser PARSER = RecordParser.create();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-11-26T10:15:30.123Z");
    private static final Pattern SCHEMA_ISO = SchemaFile.isoPattern();
    /** Where Java's {@code $} also matches: before one of these at the very end of the input. */
    private static final List<String> LINE_TERMINATORS = List.of("\n", "\r", "\u0085", "\u2028", "\u2029");
    /** The alphabet of logtypes that are nearly right. */
    private static final String LOOSE = "abzAZ09_.- \n\u00e9";
    /** A field left out of a record. */
    private static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "ABSENT";
        }
    };

    /** JSON text written as is (numbers in forms Java values would not print, such as 1.694e12). */
    record Raw(String json) {
    }

    // ---- messages are stored exactly ----

    @ParameterizedTest
    @MethodSource("messages")
    void any_unicode_message_of_at_most_32768_code_points_is_accepted_exactly(Case<String> c) {
        c.check(message -> {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("source", "financialSystem");
            record.put("logtype", "error");
            record.put("message", message);
            byte[] body = JSON.writeValueAsBytes(record);

            List<LogRecord> records = PARSER.parse(body, RECEIVED);

            assertThat(records).hasSize(1);
            assertThat(records.get(0).message()).isEqualTo(message);
            assertThat(records.get(0).message().getBytes(UTF_8)).isEqualTo(message.getBytes(UTF_8));
        });
    }

    static Stream<Case<String>> messages() {
        return cases("messages", 200, r -> {
            int length = switch (weighted(r, 6, 3, 1)) {
                case 0 -> between(r, 0, 64);
                case 1 -> between(r, 0, 4096);
                default -> oneOf(r, 32_766, 32_767, 32_768);
            };
            return TestingCases.text(r, length, TestingCases::scalarValue);
        });
    }

    // ---- the parser and the schema agree ----

    enum Outcome { NOT_JSON_TO_JACKSON, BOTH_ACCEPT, BOTH_REFUSE, ONLY_THE_PARSER_REFUSES, ONLY_THE_SCHEMA_REFUSES }

    /** A generated body shown as the JSON text the parser receives. */
    record Body(Object value) {
        @Override
        public String toString() {
            return json(value);
        }
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void the_parser_accepts_a_body_iff_the_schema_does_except_where_only_code_can_refuse(Case<Body> c) {
        c.check(body -> outcome(body.value()));
    }

    /** Without coverage of both answers the property above could pass by refusing (or accepting) everything. */
    @Test
    void the_generated_bodies_are_accepted_and_refused_each_often_enough() throws Exception {
        List<Body> all = bodies().map(Case::input).toList();
        Map<Outcome, Long> outcomes = new java.util.EnumMap<>(Outcome.class);
        for (Body body : all) {
            outcomes.merge(outcome(body.value()), 1L, Long::sum);
        }

        assertThat(outcomes.getOrDefault(Outcome.BOTH_ACCEPT, 0L)).as("%s", outcomes).isGreaterThanOrEqualTo(all.size() * 15L / 100);
        assertThat(outcomes.getOrDefault(Outcome.BOTH_REFUSE, 0L)).as("%s", outcomes).isGreaterThanOrEqualTo(all.size() * 15L / 100);
    }

    /** The outcome of one body, asserting the property on the way. */
    static Outcome outcome(Object body) throws Exception {
        String text = json(body);
        byte[] bytes = text.getBytes(UTF_8);
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Jackson refuses some unpaired surrogates (in field names) outright: no tree for the schema.
            assertThat(mayBeRefusedOnlyByCode(body)).as("Jackson refused %s: %s", text, e.getOriginalMessage()).isTrue();
            assertThat(catchThrowable(() -> PARSER.parse(bytes, RECEIVED))).isInstanceOf(InvalidRecordsException.class);
            return Outcome.NOT_JSON_TO_JACKSON;
        }
        boolean schema = PARSER.schemaAccepts(tree);
        boolean parsed;
        try {
            List<LogRecord> records = PARSER.parse(bytes, RECEIVED);
            parsed = true;
            assertThat(records).hasSize(body instanceof List<?> list ? list.size() : 1);
        } catch (InvalidRecordsException e) {
            parsed = false;
            assertThat(e.violations()).isNotEmpty();
        }
        boolean codeOnly = mayBeRefusedOnlyByCode(body);

        assertThat(!parsed || schema).as("the parser accepts only what the schema accepts: %s", text).isTrue();
        if (schema && !parsed) {
            assertThat(codeOnly).as("the schema accepts, the parser refuses, without a code-only case: %s", text)
                    .isTrue();
        }
        return schema == parsed ? (parsed ? Outcome.BOTH_ACCEPT : Outcome.BOTH_REFUSE)
                : schema ? Outcome.ONLY_THE_PARSER_REFUSES : Outcome.ONLY_THE_SCHEMA_REFUSES;
    }

    /**
     * The documented cases only the code refuses: an unpaired surrogate in any string; a pattern-checked
     * string (source, logtype, timestamp, attribute key) ending in a line terminator, where Java's {@code $}
     * matches; an ISO timestamp of the right shape on a day not in the calendar.
     */
    static boolean mayBeRefusedOnlyByCode(Object body) {
        if (body instanceof List<?> list) {
            return list.stream().anyMatch(RecordParserPropertiesTest::mayBeRefusedOnlyByCode);
        }
        if (!(body instanceof Map<?, ?> record)) {
            return false;
        }
        if (hasUnpairedSurrogate(record)) {
            return true;
        }
        for (String field : List.of("source", "logtype", "timestamp")) {
            if (record.get(field) instanceof String s && endsWithLineTerminator(s)) {
                return true;
            }
        }
        if (record.get("attributes") instanceof Map<?, ?> attributes
                && attributes.keySet().stream().anyMatch(k -> endsWithLineTerminator((String) k))) {
            return true;
        }
        if (record.get("timestamp") instanceof String s && SCHEMA_ISO.matcher(s).matches()) {
            try {
                LocalDate.parse(s.substring(0, 10));
            } catch (DateTimeException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasUnpairedSurrogate(Object value) {
        if (value instanceof String s) {
            return RecordParser.checkText(s, Integer.MAX_VALUE) != null;
        }
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().anyMatch(RecordParserPropertiesTest::hasUnpairedSurrogate)
                    || map.values().stream().anyMatch(RecordParserPropertiesTest::hasUnpairedSurrogate);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(RecordParserPropertiesTest::hasUnpairedSurrogate);
        }
        return false;
    }

    private static boolean endsWithLineTerminator(String s) {
        return LINE_TERMINATORS.stream().anyMatch(s::endsWith);
    }

    // ---- generators ----

    static Stream<Case<Body>> bodies() {
        return cases("bodies", 1000, r -> new Body(body(r)));
    }

    static Object body(SplittableRandom r) {
        return switch (weighted(r, 12, 6, 1, 1)) {
            case 0 -> record(r);
            case 1 -> TestingCases.listOf(r, between(r, 1, 4), RecordParserPropertiesTest::record);
            case 2 -> oneOf(r, List.of(), "a record", 42L, true, new Raw("null"));
            default -> {
                List<Object> list = new ArrayList<>(TestingCases.listOf(r, between(r, 0, 2),
                        RecordParserPropertiesTest::record));
                list.add(oneOf(r, "x", 1L, new Raw("null"), List.of()));
                yield list;
            }
        };
    }

    static Map<String, Object> record(SplittableRandom r) {
        Map<String, Object> record = new LinkedHashMap<>();
        put(record, "source", source(r));
        put(record, "logtype", logtype(r));
        put(record, "message", recordMessage(r));
        put(record, "timestamp", timestamp(r));
        put(record, "attributes", attributes(r));
        Object extra = extraField(r);
        if (extra != ABSENT) {
            record.put((String) extra, "x");
        }
        return record;
    }

    private static void put(Map<String, Object> record, String field, Object value) {
        if (value != ABSENT) {
            record.put(field, value);
        }
    }

    static Object source(SplittableRandom r) {
        return switch (weighted(r, 20, 2, 1)) {
            case 0 -> string(r, r.nextInt(8) < 6 ? between(r, 1, 20) : oneOf(r, 0, 1, 127, 128, 129));
            case 1 -> withLineTerminator(string(r, between(r, 1, 10)));
            default -> oneOf(r, ABSENT, 42L, true, new Raw("null"));
        };
    }

    static Object logtype(SplittableRandom r) {
        return switch (weighted(r, 20, 10, 3, 2, 1)) {
            case 0 -> oneOf(r, "error", "info", "security.alert");
            case 1 -> validLogtype(r);
            case 2 -> TestingCases.text(r, between(r, 0, 34), q -> (int) LOOSE.charAt(q.nextInt(LOOSE.length())));
            case 3 -> withLineTerminator(validLogtype(r));
            default -> oneOf(r, ABSENT, 7L, new Raw("null"));
        };
    }

    private static String validLogtype(SplittableRandom r) {
        String rest = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
        return (char) between(r, 'a', 'z')
                + TestingCases.text(r, between(r, 0, 32), q -> (int) rest.charAt(q.nextInt(rest.length())));
    }

    static Object recordMessage(SplittableRandom r) {
        return switch (weighted(r, 20, 1)) {
            case 0 -> string(r, r.nextInt(21) < 20 ? between(r, 0, 40) : oneOf(r, 32_768, 32_769));
            default -> oneOf(r, ABSENT, 1L, new Raw("null"), Map.of());
        };
    }

    static Object timestamp(SplittableRandom r) {
        return switch (weighted(r, 8, 3, 3, 1, 4, 1, 1)) {
            case 0 -> ABSENT;
            case 1 -> millis(r);
            case 2 -> Long.toString(millis(r));
            case 3 -> "0" + millis(r);
            case 4 -> iso(r);
            case 5 -> (r.nextBoolean() ? Long.toString(millis(r)) : iso(r)) + "\n";
            default -> oneOf(r, new Raw("1.694e12"), new Raw("1694209417035.0"),
                    new BigInteger("12345678901234567890"), -1694209417035L, true, new Raw("null"), "", "now");
        };
    }

    private static long millis(SplittableRandom r) {
        long first = Timestamps.EARLIEST_EPOCH_MILLIS;
        long end = Timestamps.END.toEpochMilli();
        return switch (weighted(r, 3, 1, 1, 1)) {
            case 0 -> between(r, first, end - 1);
            case 1 -> first + between(r, -2, 1);
            case 2 -> end + between(r, -2, 1);
            default -> between(r, 0, 2 * end);
        };
    }

    private static String iso(SplittableRandom r) {
        String fraction = TestingCases.text(r, between(r, 0, 10), q -> between(q, '0', '9'));
        String zone = r.nextInt(9) < 8 ? "Z" : oneOf(r, "", "+00:00", "z", "-01:00");
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", between(r, 1998, 2101), between(r, 0, 13),
                between(r, 0, 32), between(r, 0, 25), between(r, 0, 60), between(r, 0, 61),
                fraction.isEmpty() ? "" : "." + fraction, zone);
    }

    static Object attributes(SplittableRandom r) {
        return switch (weighted(r, 6, 6, 1)) {
            case 0 -> ABSENT;
            case 1 -> {
                int size = r.nextInt(9) < 8 ? between(r, 0, 4) : oneOf(r, 49, 50, 51);
                Map<String, Object> map = new LinkedHashMap<>();
                // Distinct keys, as jqwik's maps had: a duplicate would be a different property (last one wins).
                while (map.size() < size) {
                    map.put(attributeKey(r), attributeValue(r));
                }
                yield map;
            }
            default -> oneOf(r, new Raw("null"), List.of(), "k=v");
        };
    }

    private static String attributeKey(SplittableRandom r) {
        if (r.nextInt(13) < 12) {
            return string(r, r.nextInt(10) < 8 ? between(r, 1, 12) : oneOf(r, 0, 63, 64, 65));
        }
        return withLineTerminator(string(r, between(r, 1, 64)));
    }

    private static Object attributeValue(SplittableRandom r) {
        if (r.nextInt(21) < 20) {
            return string(r, r.nextInt(9) < 8 ? between(r, 0, 20) : oneOf(r, 1023, 1024, 1025));
        }
        return oneOf(r, 1L, true, new Raw("null"), Map.of(), List.of("v"));
    }

    static Object extraField(SplittableRandom r) {
        return r.nextInt(21) < 20 ? ABSENT : oneOf(r, " source", "level", "Source", "", "message ");
    }

    /**
     * Text of the given length in code points, from one alphabet per string: plain, any Unicode, or hostile
     * (control characters, line terminators, the odd unpaired surrogate).
     */
    static String string(SplittableRandom r, int length) {
        return switch (weighted(r, 6, 4, 1)) {
            case 0 -> TestingCases.text(r, length, RecordParserPropertiesTest::plain);
            case 1 -> TestingCases.text(r, length, q -> q.nextBoolean() ? plain(q) : TestingCases.scalarValue(q));
            default -> TestingCases.text(r, length, q -> switch (weighted(q, 30, 2, 1)) {
                case 0 -> plain(q);
                case 1 -> oneOf(q, 0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x85, 0x9F, 0x2028, 0xA0);
                default -> between(q, 0xD800, 0xDFFF);
            });
        };
    }

    private static int plain(SplittableRandom r) {
        return between(r, 0x20, 0x7E);
    }

    private static String withLineTerminator(String s) {
        return s + lineTerminator(s);
    }

    private static String lineTerminator(String seed) {
        return LINE_TERMINATORS.get(Math.floorMod(seed.hashCode(), LINE_TERMINATORS.size()));
    }

    // ---- JSON text, with any UTF-16 surrogate escaped so unpaired ones reach the parser ----

    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value instanceof Raw raw) {
            out.append(raw.json());
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                quote(out, (String) entry.getKey());
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("not JSON: " + value);
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
