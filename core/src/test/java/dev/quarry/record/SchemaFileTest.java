package dev.quarry.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The schema file is the single source of truth; the parser's constants must not drift from it. */
class SchemaFileTest {
    private final JsonNode schema = SchemaFile.json();

    @Test
    void the_schema_declares_draft_04() {
        assertThat(schema.path("$schema").textValue()).isEqualTo("http://json-schema.org/draft-04/schema#");
    }

    @Test
    void the_parser_reads_the_same_schema_as_the_file_in_the_repository() {
        assertThat(RecordParser.schemaJson(new ObjectMapper())).isEqualTo(schema);
    }

    @Test
    void a_request_is_one_record_or_an_array_of_1_to_max_records() {
        JsonNode oneOf = schema.path("oneOf");
        assertThat(oneOf).hasSize(2);
        assertThat(oneOf.get(0).path("$ref").textValue()).isEqualTo("#/definitions/record");
        JsonNode array = oneOf.get(1);
        assertThat(array.path("type").textValue()).isEqualTo("array");
        assertThat(array.path("minItems").intValue()).isEqualTo(1);
        assertThat(array.path("maxItems").intValue()).isEqualTo(RecordParser.MAX_RECORDS);
        assertThat(array.path("items").path("$ref").textValue()).isEqualTo("#/definitions/record");
    }

    @Test
    void the_record_fields_are_the_parsers_fields_and_no_others() {
        JsonNode record = SchemaFile.record();
        assertThat(names(record.path("properties"))).containsExactlyInAnyOrderElementsOf(RecordParser.FIELDS);
        assertThat(record.path("additionalProperties").isBoolean()).isTrue();
        assertThat(record.path("additionalProperties").booleanValue()).isFalse();
        List<String> required = new ArrayList<>();
        record.path("required").forEach(r -> required.add(r.textValue()));
        assertThat(required).containsExactlyInAnyOrder("source", "logtype", "message");
    }

    @Test
    void the_source_limit_matches_max_source() {
        JsonNode source = SchemaFile.property("source");
        assertThat(source.path("minLength").intValue()).isEqualTo(1);
        assertThat(source.path("maxLength").intValue()).isEqualTo(RecordParser.MAX_SOURCE);
    }

    @Test
    void the_message_limit_matches_max_message() {
        assertThat(SchemaFile.property("message").path("maxLength").intValue()).isEqualTo(RecordParser.MAX_MESSAGE);
    }

    @Test
    void the_attribute_limits_match_max_attributes_key_and_value() {
        JsonNode attributes = SchemaFile.property("attributes");
        assertThat(attributes.path("maxProperties").intValue()).isEqualTo(RecordParser.MAX_ATTRIBUTES);
        assertThat(attributes.path("additionalProperties").booleanValue()).isFalse();
        JsonNode patterns = attributes.path("patternProperties");
        assertThat(patterns).hasSize(2);
        Iterator<Map.Entry<String, JsonNode>> entries = patterns.fields();
        Map.Entry<String, JsonNode> keys = entries.next();
        Matcher bounds = Pattern.compile("\\{(\\d+),(\\d+)\\}\\$$").matcher(keys.getKey());
        assertThat(bounds.find()).as("key pattern %s ends with {min,max}$", keys.getKey()).isTrue();
        assertThat(Integer.parseInt(bounds.group(1))).isEqualTo(1);
        assertThat(Integer.parseInt(bounds.group(2))).isEqualTo(RecordParser.MAX_ATTRIBUTE_KEY);
        assertThat(keys.getValue().path("type").textValue()).isEqualTo("string");
        assertThat(keys.getValue().path("maxLength").intValue()).isEqualTo(RecordParser.MAX_ATTRIBUTE_VALUE);
        Map.Entry<String, JsonNode> tooLong = entries.next();
        assertThat(tooLong.getKey()).isEqualTo(keys.getKey().replaceFirst("\\{1,(\\d+)\\}\\$$", "")
                + "{" + (RecordParser.MAX_ATTRIBUTE_KEY + 1) + "}");
        assertThat(tooLong.getValue()).isEqualTo(new ObjectMapper().createObjectNode()
                .set("not", new ObjectMapper().createObjectNode()));
    }

    @Test
    void the_attribute_key_patterns_count_characters_as_the_parser_does() {
        Iterator<String> names = SchemaFile.property("attributes").path("patternProperties").fieldNames();
        Pattern key = Pattern.compile(names.next());
        Pattern tooLong = Pattern.compile(names.next());
        String emoji = "\uD83D\uDE00";
        int max = RecordParser.MAX_ATTRIBUTE_KEY;
        // Not a line feed: java.util.regex's $ also matches before a final one (a case only the parser refuses).
        for (String unit : List.of("a", "#", emoji)) {
            assertThat(key.matcher(unit.repeat(max)).matches()).as("%s × %d", unit, max).isTrue();
            assertThat(key.matcher(unit.repeat(max + 1)).matches()).as("%s × %d", unit, max + 1).isFalse();
            assertThat(tooLong.matcher(unit.repeat(max)).lookingAt()).as("%s × %d", unit, max).isFalse();
            assertThat(tooLong.matcher(unit.repeat(max + 1)).lookingAt()).as("%s × %d", unit, max + 1).isTrue();
        }
        assertThat(key.matcher("").matches()).isFalse();
    }

    /** API Gateway reads the patterns as ECMA 262 regexes (draft-04, 5.5.3), counting UTF-16 units: as JavaScript does. */
    @Test
    void the_attribute_key_patterns_count_the_same_under_javascript() throws Exception {
        String script = """
                const s = require(process.argv[1]);
                const [key, tooLong] = Object.keys(s.definitions.record.properties.attributes.patternProperties)
                    .map(p => new RegExp(p));
                const out = [];
                for (const unit of ['a', '#', '\\u{1F600}', '\\n']) {
                  for (const n of [64, 65]) {
                    out.push(`${unit === '\\n' ? 'LF' : unit}×${n}:${key.test(unit.repeat(n))},${tooLong.test(unit.repeat(n))}`);
                  }
                }
                out.push(`empty:${key.test('')},${tooLong.test('')}`);
                console.log(out.join(' '));
                """;
        Process node = new ProcessBuilder("node", "-e", script, SchemaFile.path().toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .strip();
        assertThat(node.waitFor()).as(output).isZero();
        assertThat(output).isEqualTo("a×64:true,false a×65:false,true #×64:true,false #×65:false,true"
                + " \uD83D\uDE00×64:true,false \uD83D\uDE00×65:false,true LF×64:true,false LF×65:false,true"
                + " empty:false,false");
    }

    @Test
    void the_timestamp_integer_range_matches_timestamps() {
        JsonNode integer = SchemaFile.property("timestamp").path("oneOf").get(0);
        assertThat(integer.path("type").textValue()).isEqualTo("integer");
        assertThat(integer.path("minimum").longValue()).isEqualTo(Timestamps.EARLIEST_EPOCH_MILLIS);
        assertThat(integer.path("maximum").longValue()).isEqualTo(Timestamps.END.toEpochMilli());
        assertThat(integer.path("exclusiveMaximum").booleanValue()).isTrue();
        assertThat(integer.path("exclusiveMinimum").asBoolean(false)).isFalse();
    }

    @Test
    void the_logtype_pattern_is_the_documented_one() {
        assertThat(SchemaFile.property("logtype").path("pattern").textValue()).isEqualTo("^[a-z][a-z0-9_.-]{0,31}$");
    }

    @Test
    void the_source_pattern_refuses_exactly_the_c0_and_c1_control_characters_and_delete() {
        Pattern source = Pattern.compile(SchemaFile.property("source").path("pattern").textValue());
        for (int c = 0; c <= 0xFFFF; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            boolean control = c <= 0x1F || (c >= 0x7F && c <= 0x9F);
            assertThat(source.matcher("a" + (char) c + "b").matches()).as("U+%04X", c).isEqualTo(!control);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
