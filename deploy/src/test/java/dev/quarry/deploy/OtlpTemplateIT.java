package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/logs on AWS: the packaged OTLP/JSON request template rendered with Velocity, the Firehose record it
 * makes deaggregated and run through the packaged partitioning query (jq 1.6), as POST /logs records are.
 */
class OtlpTemplateIT {
    private static final long RECEIVED_AT = 1_764_198_630_123L; // 2025-11-26T23:10:30.123Z
    private static final JsonNode TEMPLATE = TestingServerless.devTemplate();

    private static List<JsonNode> render(String body) {
        String template = TEMPLATE.at("/Resources/PostOtlpLogsMethod/Properties/Integration/RequestTemplates")
                .path("application/json").asText();
        ApiGatewayTemplates.Rendered rendered = ApiGatewayTemplates.render(template, body,
                Map.of("requestTimeEpoch", RECEIVED_AT));
        JsonNode putRecord = ServerlessTemplateIT.json(rendered.body());
        assertThat(putRecord.path("DeliveryStreamName").asText())
                .isEqualTo(TEMPLATE.at("/Resources/IngestStream/Properties/DeliveryStreamName").asText());
        String data = new String(Base64.getDecoder().decode(putRecord.at("/Record/Data").asText()),
                StandardCharsets.UTF_8);
        List<String> records = TestingFirehose.deaggregate(data);
        List<String> partitions = TestingFirehose.jq(TestingFirehose.partitionQuery(TEMPLATE), records);
        assertThat(partitions).hasSameSizeAs(records);
        return records.stream().map(ServerlessTemplateIT::json).toList();
    }

    @Test
    void an_otlp_json_export_becomes_quarry_records() {
        String body = """
                {"resourceLogs":[{"resource":{"attributes":[
                  {"key":"service.name","value":{"stringValue":"check\\"out"}},
                  {"key":"host.name","value":{"stringValue":"web-1"}},
                  {"key":"pid","value":{"intValue":"42"}}]},
                 "scopeLogs":[{"scope":{"name":"x"},"logRecords":[
                  {"timeUnixNano":"1764198600123456789","severityNumber":17,"severityText":"Oops",
                   "body":{"stringValue":"payment \\"declined\\"\\n€ 🔥 it's"},
                   "attributes":[{"key":"host.name","value":{"stringValue":"web-2"}},
                                 {"key":"retry","value":{"stringValue":"1"}}],
                   "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174"},
                  {"observedTimeUnixNano":"1764198500000000000","severityText":"Security.Alert",
                   "body":{"kvlistValue":{"values":[{"key":"a","value":{"stringValue":"b'c"}}]}}},
                  {"severityNumber":30}
                 ]}]},
                {"scopeLogs":[{"logRecords":[{"severityNumber":10,"body":{"stringValue":"no resource"}}]}]}]}
                """;
        List<JsonNode> records = render(body);
        assertThat(records).hasSize(4);

        JsonNode first = records.get(0);
        assertThat(first.path("source").textValue()).isEqualTo("check\"out");
        assertThat(first.path("logtype").textValue()).isEqualTo("error");
        assertThat(first.path("message").textValue()).isEqualTo("payment \"declined\"\n€ 🔥 it's");
        assertThat(first.path("timestamp").textValue()).isEqualTo("1764198600123");
        assertThat(first.path("received_at").longValue()).isEqualTo(RECEIVED_AT);
        assertThat(first.path("attributes")).isEqualTo(ServerlessTemplateIT.json("{\"host.name\":\"web-2\","
                + "\"retry\":\"1\",\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"span_id\":\"eee19b7ec3c1b174\"}"));

        JsonNode second = records.get(1);
        assertThat(second.path("logtype").textValue()).isEqualTo("security.alert");
        assertThat(second.path("timestamp").textValue()).isEqualTo("1764198500000");
        assertThat(ServerlessTemplateIT.json(second.path("message").textValue()))
                .isEqualTo(ServerlessTemplateIT.json("{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":"
                        + "{\"stringValue\":\"b'c\"}}]}}"));

        JsonNode third = records.get(2);
        assertThat(third.path("logtype").textValue()).isEqualTo("info");
        assertThat(third.path("message").textValue()).isEmpty();
        assertThat(third.path("timestamp").longValue()).isEqualTo(RECEIVED_AT);

        JsonNode fourth = records.get(3);
        assertThat(fourth.path("source").textValue()).isEqualTo("unknown_service");
        assertThat(fourth.path("logtype").textValue()).isEqualTo("info");
        assertThat(fourth.path("attributes").size()).isZero();
    }

    @Test
    void attributes_past_the_limits_are_left_out() {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            attributes.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i).append("\",\"value\":{\"stringValue\":\"v\"}}");
        }
        attributes.append(",{\"key\":\"").append("k".repeat(65)).append("\",\"value\":{\"stringValue\":\"v\"}}");
        String body = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"m\"},"
                + "\"attributes\":[" + attributes + "]}]}]}]}";
        JsonNode record = render(body).get(0);
        assertThat(record.path("attributes").size()).isEqualTo(50);
        assertThat(record.path("attributes").has("k".repeat(65))).isFalse();
    }
}
