package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.record.InvalidRecordsException;
import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS ingest path, offline, end to end: the packaged POST /logs request template rendered with Velocity, the
 * Firehose record it makes decoded and deaggregated, the packaged partitioning query run by jq 1.6 on each record,
 * and every field and the dt compared with what the local pipeline's parser (core's RecordParser) stores for the
 * same request. What remains untested is AWS itself (docs/deploy.md, "What is verified without an account").
 */
class IngestPathEndToEndIT {

    /** 2025-11-26T23:10:30.123Z: late in a UTC day, so a timestamp up to 2 h ahead lands on the next day. */
    private static final long RECEIVED_AT = 1_764_198_630_123L;
    private static final long SEED = 0x5eed_15L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> STORED_FIELDS = Set.of("source", "logtype", "timestamp", "message", "attributes",
            "received_at");

    private static final JsonNode TEMPLATE = TestingServerless.devTemplate();
    private static final RecordParser PARSER = RecordParser.create();

    static Stream<Arguments> requests() {
        List<Arguments> requests = new ArrayList<>();
        requests.add(Arguments.of("one object, no timestamp", record("web-1", "info", "hello", null, null).toString()));
        requests.add(Arguments.of("one object, pretty-printed with leading whitespace",
                "\n  " + record("web-1", "info", "hello", NODES.numberNode(RECEIVED_AT - 60_000), null).toPrettyString()));
        requests.add(Arguments.of("array of 1", array(record("web-1", "error", "boom", null, null)).toString()));
        for (Map.Entry<String, String> message : trickyMessages().entrySet()) {
            requests.add(Arguments.of("message: " + message.getKey(), array(
                    record("src \"quoted\" \\ back", "security.alert", message.getValue(), null,
                            Map.of("k\"ey", "v\\al\"ue", "emoji 🔥", message.getValue().length() > 1024
                                    ? "long" : message.getValue()))).toString()));
        }
        for (Map.Entry<String, JsonNode> timestamp : timestamps().entrySet()) {
            requests.add(Arguments.of("timestamp: " + timestamp.getKey(),
                    array(record("web-1", "info", "t", timestamp.getValue(), null)).toString()));
        }
        ObjectNode lookalike = NODES.objectNode().put("source", "web-1").put("logtype", "info").put("message", "m");
        lookalike.putObject("attributes").put("timestamp", "2025-11-26T12:34:56.123456Z");
        lookalike.put("timestamp", "2025-11-26T12:34:56.123456Z");
        requests.add(Arguments.of("microseconds, and an attribute named and valued as the timestamp before it",
                array(lookalike, record("web-2", "info", "m", NODES.textNode("2025-11-26T12:34:56.123456Z"),
                        Map.of("timestamp", "x"))).toString()));
        requests.add(Arguments.of("array of 500, mixed (seed " + SEED + ")", fiveHundred().toString()));
        return requests.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void firehose_stores_what_the_local_pipeline_stores(String name, String body) throws InvalidRecordsException {
        List<LogRecord> expected = PARSER.parse(body.getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(RECEIVED_AT));

        String requestTemplate = TEMPLATE.at("/Resources/PostLogsMethod/Properties/Integration/RequestTemplates")
                .path("application/json").asText();
        ApiGatewayTemplates.Rendered rendered = ApiGatewayTemplates.render(requestTemplate, body,
                Map.of("requestTimeEpoch", RECEIVED_AT, "requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"));
        JsonNode putRecord = ServerlessTemplateIT.json(rendered.body());
        assertThat(Set.copyOf(Template.iterable(putRecord.fieldNames()))).isEqualTo(Set.of("DeliveryStreamName", "Record"));
        assertThat(putRecord.path("DeliveryStreamName").asText())
                .isEqualTo(TEMPLATE.at("/Resources/IngestStream/Properties/DeliveryStreamName").asText());
        byte[] data = Base64.getDecoder().decode(putRecord.at("/Record/Data").asText());
        assertThat(data.length).as("Firehose's record limit").isLessThanOrEqualTo(1_024_000);

        List<String> records = TestingFirehose.deaggregate(new String(data, StandardCharsets.UTF_8));
        assertThat(records).hasSize(expected.size()).hasSizeLessThanOrEqualTo(500);
        List<String> partitions = TestingFirehose.jq(TestingFirehose.partitionQuery(TEMPLATE), records);

        for (int i = 0; i < records.size(); i++) {
            JsonNode stored = ServerlessTemplateIT.json(records.get(i));
            LogRecord local = expected.get(i);
            String where = name + ", record " + i + ": " + records.get(i);
            assertThat(new TreeSet<>(Template.iterable(stored.fieldNames()))).as(where)
                    .isSubsetOf(STORED_FIELDS).contains("source", "logtype", "timestamp", "message", "received_at");
            assertThat(stored.path("source").textValue()).as(where).isEqualTo(local.source());
            assertThat(stored.path("logtype").textValue()).as(where).isEqualTo(local.logtype());
            assertThat(stored.path("message").textValue()).as(where).isEqualTo(local.message());
            assertThat(attributes(stored)).as(where).isEqualTo(local.attributes());
            assertThat(stored.path("received_at").isIntegralNumber()).as(where).isTrue();
            assertThat(Instant.ofEpochMilli(stored.path("received_at").longValue())).as(where).isEqualTo(local.receivedAt());
            assertThat(asOpenXReadsIt(stored.path("timestamp"))).as(where).isEqualTo(local.timestamp());
            assertThat(TestingFirehose.dt(partitions.get(i))).as(where).isEqualTo(local.day().toString());
        }
    }

    /**
     * Firehose's answers through the integration responses: the one whose SelectionPattern matches Firehose's
     * HTTP status (API Gateway matches it against the status code for AWS integrations; none matching: the
     * default response, the one without a pattern), its template rendered with Firehose's body.
     */
    @ParameterizedTest(name = "Firehose {0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "200 | {\"RecordId\":\"49543463076548007577105092703039560359975228518395012686\",\"Encrypted\":false} | 200",
            "400 | {\"__type\":\"ValidationException\",\"message\":\"1 validation error detected: Value at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000\"} | 413",
            "400 | {\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"too \\\"large\\\"\"} | 413",
            "400 | {\"__type\":\"ResourceNotFoundException\",\"message\":\"Firehose quarry-dev-logs under account 123456789012 not found.\"} | 502",
            "400 | {\"__type\":\"InvalidArgumentException\",\"message\":\"x\"} | 502",
            "403 | {\"__type\":\"AccessDeniedException\",\"Message\":\"not authorized\"} | 502",
            "500 | {\"__type\":\"InternalFailure\"} | 503",
            "503 | {\"__type\":\"ServiceUnavailableException\",\"message\":\"Slow down.\"} | 503",
    })
    void firehoseAnswersBecomeJsonWithTheStatusTheySay(int firehoseStatus, String firehoseBody, int status) {
        JsonNode integration = TEMPLATE.at("/Resources/PostLogsMethod/Properties/Integration");
        JsonNode chosen = null;
        for (JsonNode response : integration.path("IntegrationResponses")) {
            String pattern = response.path("SelectionPattern").asText(null);
            if (pattern == null ? chosen == null : Integer.toString(firehoseStatus).matches(pattern)) {
                chosen = response;
            }
        }
        assertThat(chosen).as("an integration response for " + firehoseStatus).isNotNull();
        ApiGatewayTemplates.Rendered rendered = ApiGatewayTemplates.render(
                chosen.at("/ResponseTemplates/application~1json").asText(), firehoseBody, Map.of());
        int answered = rendered.statusOverride() != null ? rendered.statusOverride() : chosen.path("StatusCode").asInt();
        JsonNode json = ServerlessTemplateIT.json(rendered.body());

        assertThat(answered).isEqualTo(status);
        if (status == 200) {
            assertThat(json).isEqualTo(ServerlessTemplateIT.json("{\"accepted\":true}"));
        } else {
            assertThat(json.path("status").asInt()).isEqualTo(status);
            assertThat(json.path("type").asText()).startsWith("urn:quarry:problem:");
            assertThat(chosen.at("/ResponseParameters/method.response.header.Content-Type").asText())
                    .isEqualTo("'application/problem+json'");
        }
    }

    /** The three timestamp forms of the contract as Firehose's OpenX SerDe turns them into a timestamp column. */
    private static Instant asOpenXReadsIt(JsonNode timestamp) {
        if (timestamp.isIntegralNumber()) {
            return Instant.ofEpochMilli(timestamp.longValue());
        }
        String text = timestamp.textValue();
        if (text.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        // Glue's timestamp holds milliseconds: what is sent must have no finer digits for the column to hold it
        // unchanged (Trino, Athena's engine, rounds them: issue 19).
        assertThat(text).as("an ISO timestamp as Firehose receives it").matches("[0-9T:-]+(\\.[0-9]{1,3})?Z");
        return Instant.parse(text);
    }

    private static Map<String, String> attributes(JsonNode stored) {
        Map<String, String> attributes = new LinkedHashMap<>();
        stored.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().textValue()));
        return attributes;
    }

    static Map<String, String> trickyMessages() {
        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("quotes and backslashes", "He said \"hi\" \\ C:\\path\\n \\\" \\\\\" '' \\u0041 $ # ## ${x} $!y");
        messages.put("newlines, tabs, CR", "line 1\nline 2\r\n\tindented\u000b\u000c");
        messages.put("NUL and other controls", "a\u0000b\u0001c\u001fd\u007fe\u0085f\u009f");
        messages.put("braces at the end", "{\"nested\": {\"json\": [1, 2]}}}");
        messages.put("emoji", "🔥 👩🏽‍💻 🇩🇪 🏳️‍🌈 ❤️ 𝄞 𠜎 😀");
        messages.put("every script", "Ελληνικά Кириллица العربية עברית हिन्दी বাংলা ไทย ქართული Հայերեն ግዕዝ 中文"
                + " 한국어 日本語カタカナ தமிழ் བོད་ཡིག ᠮᠣᠩᠭᠣᠯ ខ្មែរ ᏣᎳᎩ Ñoño ǅ ß İı");
        messages.put("combining marks, direction marks, separators", "e\u0301 a\u0308\u0304 \u200f\u200e\u202e"
                + " \u2028 \u2029 \ufeff \u00a0 \u200b");
        messages.put("Velocity and JSONPath syntax", "#set($x = 1) $input.body #foreach $[0] $.timestamp");
        messages.put("longest message", "🔥".repeat(RecordParser.MAX_MESSAGE));
        messages.put("empty", "");
        return messages;
    }

    static Map<String, JsonNode> timestamps() {
        Map<String, JsonNode> timestamps = new LinkedHashMap<>();
        timestamps.put("epoch ms number, an hour ago", NODES.numberNode(RECEIVED_AT - 3_600_000));
        timestamps.put("epoch ms digits, yesterday", NODES.textNode(Long.toString(RECEIVED_AT - 86_400_000)));
        timestamps.put("ISO with milliseconds, 5 days ago", NODES.textNode("2025-11-21T08:00:00.123Z"));
        timestamps.put("ISO without fraction", NODES.textNode("2025-11-26T00:00:00Z"));
        timestamps.put("ISO with nanoseconds", NODES.textNode("2025-11-26T12:34:56.123456789Z"));
        timestamps.put("ISO, one digit of fraction", NODES.textNode("2025-11-26T12:34:56.1Z"));
        timestamps.put("ISO with microseconds, floored not rounded", NODES.textNode("2025-11-26T13:59:59.999600Z"));
        timestamps.put("ISO, 4 fraction digits", NODES.textNode("2025-11-26T13:59:59.9999Z"));
        timestamps.put("ISO with nanoseconds, the last of a day: that day", NODES.textNode("2025-11-25T23:59:59.999999999Z"));
        timestamps.put("ISO, 2 h and 1 ms ahead: the day received", NODES.textNode("2025-11-27T01:10:30.124Z"));
        timestamps.put("ISO, exactly 2 h ahead, finer digits floored: tomorrow", NODES.textNode("2025-11-27T01:10:30.123999Z"));
        timestamps.put("ISO, 14 days and 1 ms back: the day received", NODES.textNode("2025-11-12T23:10:30.122Z"));
        timestamps.put("1 h 59 min ahead: tomorrow", NODES.numberNode(RECEIVED_AT + 7_140_000));
        timestamps.put("exactly 2 h ahead", NODES.numberNode(RECEIVED_AT + 7_200_000));
        timestamps.put("2 h and 1 ms ahead: the day received", NODES.numberNode(RECEIVED_AT + 7_200_001));
        timestamps.put("exactly 14 days back", NODES.numberNode(RECEIVED_AT - 1_209_600_000L));
        timestamps.put("14 days and 1 ms back", NODES.numberNode(RECEIVED_AT - 1_209_600_001L));
        timestamps.put("2001, as digits", NODES.textNode("1000000000000"));
        timestamps.put("2099, ISO", NODES.textNode("2099-12-31T23:59:59.999Z"));
        return timestamps;
    }

    /** 500 records drawn from the corpus; some with a timestamp and some without, in a seeded order. */
    private static ArrayNode fiveHundred() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> messages = new ArrayList<>(trickyMessages().values());
        messages.removeIf(m -> m.length() > 1_000); // 500 of the longest would pass Firehose's 1,000 KiB
        List<JsonNode> timestamps = new ArrayList<>(timestamps().values());
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < 500; i++) {
            JsonNode timestamp = random.nextBoolean() ? null : timestamps.get(random.nextInt(timestamps.size()));
            Map<String, String> attributes = random.nextInt(3) == 0 ? null : Map.of("i", Integer.toString(i));
            array.add(record("host-" + random.nextInt(50), "info", messages.get(random.nextInt(messages.size())),
                    timestamp, attributes));
        }
        return array;
    }

    private static ObjectNode record(String source, String logtype, String message, JsonNode timestamp,
                                     Map<String, String> attributes) {
        ObjectNode record = NODES.objectNode().put("source", source).put("logtype", logtype).put("message", message);
        if (timestamp != null) {
            record.set("timestamp", timestamp);
        }
        if (attributes != null) {
            ObjectNode map = record.putObject("attributes");
            attributes.forEach(map::put);
        }
        return record;
    }

    private static ArrayNode array(JsonNode... records) {
        ArrayNode array = NODES.arrayNode();
        for (JsonNode record : records) {
            array.add(record);
        }
        return array;
    }
}
