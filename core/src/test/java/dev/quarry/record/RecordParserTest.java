package dev.quarry.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordParser PARSER = RecordParser.create();
    private static final Instant RECEIVED = Instant.parse("2026-11-26T10:15:30.123Z");
    private static final LocalDate RECEIVED_DAY = LocalDate.of(2026, 11, 26);
    /** U+1F600, one character (code point) in two UTF-16 chars. */
    private static final String EMOJI = "\uD83D\uDE00";

    // ---- the example of the original pattern, and timestamps ----

    /** Found by seed 3596843299914607542: networknt's additionalProperties skips keys starting with '#'. */
    @Test
    void the_schema_and_the_parser_both_refuse_an_attribute_key_of_65_characters_whatever_its_first() throws Exception {
        for (String key : List.of("#" + "a".repeat(64), "a".repeat(65), "{" + "a".repeat(64), "#" + "a".repeat(200))) {
            String body = JSON.writeValueAsString(Map.of("source", "s", "logtype", "info", "message", "m",
                    "attributes", Map.of(key, "v")));

            assertThat(PARSER.schemaAccepts(JSON.readTree(body))).as(key).isFalse();
            assertThat(catchThrowable(() -> PARSER.parse(body.getBytes(UTF_8), Instant.now()))).as(key)
                    .isInstanceOf(InvalidRecordsException.class);
        }
        String longest = JSON.writeValueAsString(Map.of("source", "s", "logtype", "info", "message", "m",
                "attributes", Map.of("#" + "a".repeat(63), "v")));
        assertThat(PARSER.schemaAccepts(JSON.readTree(longest))).isTrue();
    }

    @Test
    void the_original_patterns_example_received_now_is_accepted_under_todays_utc_day() throws Exception {
        String body = "{\"source\": \"financialSystem\", \"logtype\": \"error\", \"timestamp\": \"1694209417035\","
                + " \"message\": \"ooops, something went wrong\"}";
        Instant now = Instant.now();
        List<LogRecord> records = PARSER.parse(body.getBytes(UTF_8), now);
        assertThat(records).hasSize(1);
        LogRecord record = records.get(0);
        assertThat(record.source()).isEqualTo("financialSystem");
        assertThat(record.logtype()).isEqualTo("error");
        assertThat(record.message()).isEqualTo("ooops, something went wrong");
        assertThat(record.timestamp()).isEqualTo("2023-09-08T21:43:37.035Z");
        assertThat(record.receivedAt()).isEqualTo(now);
        assertThat(record.attributes()).isEmpty();
        assertThat(record.day()).isEqualTo(LocalDate.ofInstant(now, ZoneOffset.UTC));
    }

    @Test
    void an_absent_timestamp_is_the_time_received() throws Exception {
        LogRecord record = acceptOne(record());
        assertThat(record.timestamp()).isEqualTo(RECEIVED);
        assertThat(record.receivedAt()).isEqualTo(RECEIVED);
        assertThat(record.day()).isEqualTo(RECEIVED_DAY);
    }

    @Test
    void an_integer_timestamp_is_epoch_milliseconds() throws Exception {
        assertThat(acceptOne(record().put("timestamp", 1_764_152_130_123L)).timestamp())
                .isEqualTo("2025-11-26T10:15:30.123Z");
    }

    @Test
    void an_iso_timestamp_is_kept_to_the_microsecond_and_files_the_record_under_its_day() throws Exception {
        LogRecord record = acceptOne(record().put("timestamp", "2026-11-25T23:59:59.123456789Z"));
        assertThat(record.timestamp()).isEqualTo("2026-11-25T23:59:59.123456Z");
        assertThat(record.day()).isEqualTo(LocalDate.of(2026, 11, 25));
    }

    @Test
    void a_timestamp_outside_the_recency_window_is_kept_but_filed_under_the_day_received() throws Exception {
        LogRecord record = acceptOne(record().put("timestamp", "2026-11-01T08:00:00Z"));
        assertThat(record.timestamp()).isEqualTo("2026-11-01T08:00:00Z");
        assertThat(record.day()).isEqualTo(RECEIVED_DAY);
    }

    @Test
    void a_timestamp_as_a_json_float_is_refused() {
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"timestamp\":1.694e12}",
                -1, "timestamp", "/timestamp");
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"timestamp\":1694209417035.0}",
                -1, "timestamp", "/timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"946684799999", "4102444800000", "12345678901234567890", "-1694209417035", "true", "null",
            "{}", "[1694209417035]", "\"\"", "\"01694209417035\"", "\"1694209417035\\n\"",
            "\"2026-11-26T10:15:30+01:00\"", "\"2023-02-29T00:00:00Z\"", "\"2026-11-26T24:00:00Z\"",
            "\"1999-12-31T23:59:59Z\""})
    void a_timestamp_not_in_a_contract_form_is_refused(String timestamp) {
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"timestamp\":" + timestamp + "}",
                -1, "timestamp", "/timestamp");
    }

    // ---- required and unknown fields ----

    @ParameterizedTest
    @ValueSource(strings = {"source", "logtype", "message"})
    void a_missing_required_field_is_named(String field) {
        ObjectNode record = record();
        record.remove(field);
        InvalidRecordsException e = assertRefused(record, -1, field, "/" + field);
        assertThat(e.violations().get(0).detail()).contains("required");
        assertThat(e.getMessage()).contains(field);
    }

    @Test
    void an_unknown_field_is_named_as_sent_even_with_a_leading_space() {
        ObjectNode record = record();
        record.put(" source", record.remove("source").textValue());
        InvalidRecordsException e = refuse(record);
        assertThat(e.violations()).anySatisfy(v -> {
            assertThat(v.field()).isEqualTo(" source");
            assertThat(v.index()).isEqualTo(-1);
            assertThat(v.pointer()).isEqualTo("/ source");
            assertThat(v.detail()).contains("not a field");
        });
        assertThat(e.violations()).anySatisfy(v -> assertThat(v.field()).isEqualTo("source"));
    }

    @Test
    void an_unknown_field_beside_all_the_known_ones_is_refused() {
        assertRefused(record().put("level", "warn"), -1, "level", "/level");
        assertRefused(record().put("a/b~c", "x"), -1, "a/b~c", "/a~1b~0c");
    }

    @Test
    void every_fault_of_a_record_is_named() {
        InvalidRecordsException e = refuse(record().put("source", "").put("logtype", "Error").put("extra", 1));
        assertThat(e.violations()).extracting(Violation::field).contains("source", "logtype", "extra");
        assertThat(e.getMessage()).isEqualTo(e.violations().get(0).describe());
    }

    // ---- source ----

    @Test
    void an_empty_source_is_refused() {
        InvalidRecordsException e = assertRefused(record().put("source", ""), -1, "source", "/source");
        assertThat(e.violations().get(0).detail()).contains("empty");
    }

    @Test
    void a_source_of_128_characters_is_accepted_and_129_refused() throws Exception {
        assertThat(acceptOne(record().put("source", "s".repeat(128))).source()).isEqualTo("s".repeat(128));
        assertRefused(record().put("source", "s".repeat(129)), -1, "source", "/source");
    }

    @Test
    void a_sources_length_counts_code_points_not_utf16_chars() throws Exception {
        assertThat(acceptOne(record().put("source", EMOJI.repeat(128))).source()).isEqualTo(EMOJI.repeat(128));
        assertRefused(record().put("source", EMOJI.repeat(129)), -1, "source", "/source");
        assertRefused(record().put("source", EMOJI.repeat(128) + "s"), -1, "source", "/source");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\n", "\r", "\t", "\u001f", "\u007f", "\u0085", "\u009f"})
    void a_source_with_a_control_character_is_refused(String control) {
        assertRefused(record().put("source", "financial" + control + "System"), -1, "source", "/source");
        assertRefused(record().put("source", control), -1, "source", "/source");
        assertRefused(record().put("source", "financialSystem" + control), -1, "source", "/source");
    }

    @Test
    void a_source_with_spaces_and_any_script_is_accepted() throws Exception {
        String source = "financial system \u00e9\u4e2d\u0627 " + EMOJI + " \u00a0";
        assertThat(acceptOne(record().put("source", source)).source()).isEqualTo(source);
    }

    @Test
    void a_source_that_is_not_a_string_is_refused() {
        assertRefused(record().put("source", 42), -1, "source", "/source");
        assertRefused(record().putNull("source"), -1, "source", "/source");
    }

    // ---- logtype ----

    @ParameterizedTest
    @ValueSource(strings = {"error", "info", "security.alert", "a", "a0_.-", "abcdefghijklmnopqrstuvwxyz012345"})
    void a_logtype_matching_the_pattern_is_accepted(String logtype) throws Exception {
        assertThat(acceptOne(record().put("logtype", logtype)).logtype()).isEqualTo(logtype);
    }

    @ParameterizedTest
    @ValueSource(strings = {"error\n", "error\r\n", "error\r", "error\u0085", "error\u2028", "\nerror", "Error",
            "ERROR", "1error", ".error", "_error", "", "abcdefghijklmnopqrstuvwxyz0123456", "error log", "\u00e9rror",
            "error\u0000", "error/x", "err" + EMOJI})
    void a_logtype_not_matching_the_pattern_is_refused(String logtype) {
        InvalidRecordsException e = assertRefused(record().put("logtype", logtype), -1, "logtype", "/logtype");
        assertThat(e.violations().get(0).detail()).contains("^[a-z][a-z0-9_.-]{0,31}$");
    }

    @Test
    void a_logtype_of_32_characters_is_accepted_and_33_refused() throws Exception {
        assertThat(acceptOne(record().put("logtype", "e".repeat(32))).logtype()).hasSize(32);
        assertRefused(record().put("logtype", "e".repeat(33)), -1, "logtype", "/logtype");
    }

    // ---- message ----

    @Test
    void a_message_of_32768_code_points_is_accepted_exactly_and_32769_refused() throws Exception {
        String longest = EMOJI.repeat(32_768);
        assertThat(acceptOne(record().put("message", longest)).message()).isEqualTo(longest);
        assertRefused(record().put("message", EMOJI.repeat(32_769)), -1, "message", "/message");
        assertThat(acceptOne(record().put("message", "m".repeat(32_768))).message()).hasSize(32_768);
        assertRefused(record().put("message", "m".repeat(32_769)), -1, "message", "/message");
    }

    @Test
    void an_empty_message_is_accepted() throws Exception {
        assertThat(acceptOne(record().put("message", "")).message()).isEmpty();
    }

    @Test
    void a_message_is_returned_exactly_as_sent() throws Exception {
        String message = "quote \" backslash \\ slash / newline \n crlf \r\n tab \t nul \u0000 del \u007f "
                + "\u2028\u2029 \u0085 emoji " + EMOJI + " \u05e9\u05dc\u05d5\u05dd \u4f60\u597d \ufeff \uffff";
        assertThat(acceptOne(record().put("message", message)).message()).isEqualTo(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "a\\ud83d", "\\ude00a", "\\ude00\\ud83d", "\\ud83d\\ud83d"})
    void a_message_with_an_unpaired_surrogate_is_refused(String escapes) {
        InvalidRecordsException e = assertRefused(
                "{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"" + escapes + "\"}", -1, "message", "/message");
        assertThat(e.violations().get(0).detail()).contains("surrogate");
    }

    @Test
    void an_escaped_surrogate_pair_is_one_character() throws Exception {
        LogRecord record = acceptOne("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"\\ud83d\\ude00\"}");
        assertThat(record.message()).isEqualTo(EMOJI);
    }

    @Test
    void a_message_that_is_not_a_string_is_refused() {
        assertRefused(record().put("message", 42), -1, "message", "/message");
        assertRefused(record().putNull("message"), -1, "message", "/message");
        assertRefused(record().set("message", JSON.createObjectNode()), -1, "message", "/message");
    }

    // ---- attributes ----

    @Test
    void absent_attributes_are_an_empty_map() throws Exception {
        assertThat(acceptOne(record()).attributes()).isNotNull().isEmpty();
        assertThat(acceptOne(record().set("attributes", JSON.createObjectNode())).attributes()).isEmpty();
    }

    @Test
    void fifty_attributes_are_accepted_and_fifty_one_refused() throws Exception {
        Map<String, String> fifty = attributes(50);
        assertThat(acceptOne(record().set("attributes", JSON.valueToTree(fifty))).attributes()).isEqualTo(fifty);
        assertRefused(record().set("attributes", JSON.valueToTree(attributes(51))), -1, "attributes", "/attributes");
    }

    @Test
    void an_attribute_key_of_64_characters_is_accepted_and_65_refused() throws Exception {
        for (String c : List.of("k", EMOJI)) {
            Map<String, String> ok = Map.of(c.repeat(64), "v");
            assertThat(acceptOne(record().set("attributes", JSON.valueToTree(ok))).attributes()).isEqualTo(ok);
            assertRefused(record().set("attributes", JSON.valueToTree(Map.of(c.repeat(65), "v"))),
                    -1, "attributes", "/attributes");
        }
    }

    @Test
    void an_empty_attribute_key_is_refused() {
        assertRefused(record().set("attributes", JSON.valueToTree(Map.of("", "v"))), -1, "attributes", "/attributes");
    }

    @Test
    void an_attribute_key_of_64_characters_and_a_trailing_newline_is_refused() {
        assertRefused(record().set("attributes", JSON.valueToTree(Map.of("k".repeat(64) + "\n", "v"))),
                -1, "attributes", "/attributes");
    }

    @Test
    void an_attribute_value_of_1024_characters_is_accepted_and_1025_refused() throws Exception {
        for (String c : List.of("v", EMOJI)) {
            Map<String, String> ok = Map.of("k", c.repeat(1024));
            assertThat(acceptOne(record().set("attributes", JSON.valueToTree(ok))).attributes()).isEqualTo(ok);
            assertRefused(record().set("attributes", JSON.valueToTree(Map.of("k", c.repeat(1025)))),
                    -1, "attributes", "/attributes");
        }
    }

    @Test
    void an_empty_attribute_value_is_accepted() throws Exception {
        assertThat(acceptOne(record().set("attributes", JSON.valueToTree(Map.of("k", "")))).attributes())
                .containsEntry("k", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.5", "true", "null", "{}", "[]", "[\"v\"]", "{\"a\":\"b\"}"})
    void an_attribute_value_that_is_not_a_string_is_refused(String value) {
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"attributes\":{\"k\":" + value + "}}",
                -1, "attributes", "/attributes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "\"k=v\"", "1"})
    void attributes_that_are_not_an_object_are_refused(String value) {
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"attributes\":" + value + "}",
                -1, "attributes", "/attributes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k\\ud800", "\\udc00k", "\\ude00\\ud83d"})
    void an_attribute_key_with_an_unpaired_surrogate_is_refused(String key) {
        InvalidRecordsException e = refuse(
                "{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"attributes\":{\"" + key + "\":\"v\"}}");
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.index()).isEqualTo(-1));
    }

    @Test
    void an_attribute_value_with_an_unpaired_surrogate_is_refused() {
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"attributes\":{\"k\":\"\\udc00\"}}",
                -1, "attributes", "/attributes");
    }

    // ---- arrays ----

    @Test
    void an_array_of_one_record_is_accepted() throws Exception {
        ArrayNode body = JSON.createArrayNode().add(record());
        assertThat(accept(body)).hasSize(1).first().satisfies(r -> assertThat(r.source()).isEqualTo("financialSystem"));
    }

    @Test
    void an_array_of_500_records_is_accepted_in_order() throws Exception {
        List<LogRecord> records = accept(records(500));
        assertThat(records).hasSize(500);
        for (int i = 0; i < 500; i++) {
            assertThat(records.get(i).message()).isEqualTo("message " + i);
        }
    }

    @Test
    void an_empty_array_and_an_array_of_501_records_are_refused_as_a_whole() {
        assertRefused(JSON.createArrayNode(), -1, null, "");
        assertRefused(records(501), -1, null, "");
    }

    @Test
    void a_bad_record_at_index_3_refuses_the_whole_request_naming_index_3() {
        ArrayNode body = records(6);
        ((ObjectNode) body.get(3)).put("source", "");
        InvalidRecordsException e = assertRefused(body, 3, "source", "/3/source");
        assertThat(e.getMessage()).startsWith("record 3, field 'source'");
        assertThat(body.at(e.violations().get(0).pointer()).textValue()).isEmpty();
    }

    @Test
    void a_missing_field_in_an_array_record_names_its_index() {
        ArrayNode body = records(4);
        ((ObjectNode) body.get(2)).remove("logtype");
        assertRefused(body, 2, "logtype", "/2/logtype");
    }

    @Test
    void an_array_element_that_is_not_an_object_is_refused_naming_its_index() {
        ArrayNode body = records(3);
        body.insert(2, "not a record");
        assertRefused(body, 2, null, "/2");
        assertRefused("[" + record() + ",[]]", 1, null, "/1");
        assertRefused("[" + record() + ",null]", 1, null, "/1");
    }

    // ---- the body as a whole ----

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"a record\"", "null", "true", "1.5"})
    void a_body_that_is_neither_an_object_nor_an_array_is_refused(String body) {
        assertRefused(body, -1, null, "");
    }

    @Test
    void an_empty_body_is_refused() {
        assertRefused(new byte[0], -1, null, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\n", "\r\n\t "})
    void a_body_of_only_whitespace_is_refused(String body) {
        assertRefused(body, -1, null, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[", "{\"source\": }", "{'source':'s','logtype':'error','message':'m'}",
            "{source:\"s\",logtype:\"error\",message:\"m\"}", "/* c */ {\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\"}",
            "{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",}", "{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"timestamp\":NaN}",
            "{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"a\nb\"}", "{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"\\x41\"}",
            "{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"timestamp\":01694209417035}"})
    void malformed_json_is_refused(String body) {
        InvalidRecordsException e = assertRefused(body, -1, null, "");
        assertThat(e.getMessage()).contains("not valid JSON");
    }

    @Test
    void duplicate_keys_are_refused() {
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"source\":\"t\"}", -1, null, "");
        assertRefused("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"m\",\"attributes\":{\"k\":\"a\",\"k\":\"b\"}}",
                -1, null, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {" x", "{}", " []", " 1", "\"\"", "}", "]", ",{}"})
    void anything_after_the_json_value_is_refused(String trailer) {
        assertRefused(record() + trailer, -1, null, "");
        assertRefused("[" + record() + "]" + trailer, -1, null, "");
    }

    @Test
    void whitespace_around_the_json_value_is_accepted() throws Exception {
        assertThat(accept("\n\t " + record() + " \r\n")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff", "80", "c328", "c0af", "e282", "eda080", "edb880", "eda0bdedb880", "f4908080",
            "f8888080", "fe"})
    void invalid_utf8_bytes_are_refused(String hex) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"source\":\"s\",\"logtype\":\"error\",\"message\":\"a".getBytes(UTF_8));
        body.write(new BigInteger("01" + hex, 16).toByteArray(), 1, hex.length() / 2);
        body.writeBytes("b\"}".getBytes(UTF_8));
        assertRefused(body.toByteArray(), -1, null, "");
    }

    @Test
    void a_body_in_utf16_is_refused() {
        String record = record().toString();
        assertRefused(record.getBytes(java.nio.charset.StandardCharsets.UTF_16LE), -1, null, "");
        assertRefused(record.getBytes(java.nio.charset.StandardCharsets.UTF_16BE), -1, null, "");
        assertRefused(record.getBytes(java.nio.charset.StandardCharsets.UTF_16), -1, null, "");
    }

    @Test
    void a_utf8_byte_order_mark_is_ignored() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, 0, 3);
        body.writeBytes(record().toString().getBytes(UTF_8));
        assertThat(accept(body.toByteArray())).hasSize(1);
    }

    @Test
    void a_single_record_body_and_a_one_record_array_give_the_same_record() throws Exception {
        ObjectNode record = record().put("timestamp", "2026-11-26T09:00:00Z");
        record.set("attributes", JSON.valueToTree(Map.of("host", "a")));
        assertThat(accept(record)).isEqualTo(accept(JSON.createArrayNode().add(record)));
    }

    // ---- details say what the rule is ----

    @Test
    void a_violation_detail_states_the_limit_or_the_type_broken() {
        assertThat(refuse(record().put("source", "s".repeat(129))).violations().get(0).detail()).contains("128");
        assertThat(refuse(record().put("message", "m".repeat(32_769))).violations().get(0).detail()).contains("32768");
        assertThat(refuse(record().set("attributes", JSON.valueToTree(attributes(51)))).violations().get(0).detail())
                .contains("50");
        assertThat(refuse(record().set("attributes", JSON.valueToTree(Map.of("k", "v".repeat(1025)))))
                .violations().get(0).detail()).contains("1024").contains("'k'");
        assertThat(refuse(record().put("source", 42)).violations().get(0).detail()).contains("string");
        assertThat(refuse(record().put("logtype", 42)).violations().get(0).detail()).contains("string");
        assertThat(refuse(record().put("message", true)).violations().get(0).detail()).contains("string");
    }

    // ---- helpers ----

    private static ObjectNode record() {
        return JSON.createObjectNode().put("source", "financialSystem").put("logtype", "error")
                .put("message", "ooops, something went wrong");
    }

    private static ArrayNode records(int n) {
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            array.add(record().put("message", "message " + i));
        }
        return array;
    }

    private static Map<String, String> attributes(int n) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            attributes.put("key" + i, "value " + i);
        }
        return attributes;
    }

    private static byte[] bytes(Object body) {
        if (body instanceof byte[] raw) {
            return raw;
        }
        if (body instanceof JsonNode node) {
            return node.toString().getBytes(UTF_8);
        }
        return ((String) body).getBytes(UTF_8);
    }

    private static List<LogRecord> accept(Object body) throws InvalidRecordsException {
        return PARSER.parse(bytes(body), RECEIVED);
    }

    private static LogRecord acceptOne(Object body) throws InvalidRecordsException {
        List<LogRecord> records = accept(body);
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static InvalidRecordsException refuse(Object body) {
        InvalidRecordsException e = catchThrowableOfType(InvalidRecordsException.class,
                () -> PARSER.parse(bytes(body), RECEIVED));
        assertThat(e).as("refusal of %s", body instanceof byte[] ? "bytes" : body).isNotNull();
        assertThat(e.violations()).isNotEmpty();
        return e;
    }

    /** Refused, every violation naming this index, field and JSON Pointer. */
    private static InvalidRecordsException assertRefused(Object body, int index, String field, String pointer) {
        InvalidRecordsException e = refuse(body);
        assertThat(e.violations()).allSatisfy(v -> {
            assertThat(v.index()).as("index").isEqualTo(index);
            assertThat(v.field()).as("field").isEqualTo(field);
            assertThat(v.pointer()).as("pointer").isEqualTo(pointer);
            assertThat(v.detail()).as("detail").isNotBlank();
        });
        assertThat(e.getMessage()).isEqualTo(e.violations().get(0).describe());
        return e;
    }
}
