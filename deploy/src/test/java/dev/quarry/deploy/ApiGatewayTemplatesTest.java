package dev.quarry.deploy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The renderer's variables behave as AWS's mapping-template reference describes them. */
class ApiGatewayTemplatesTest {

    private static final String BODY = "{\"pets\":[{\"name\":\"Rex \\\"the\\\" dog\",\"age\":3},{\"name\":\"Ünï\"}],\"n\":7}";

    @Test
    void input_path_gives_objects_vtl_can_use_and_json_gives_json_text() {
        String template = "$input.path('$.pets').size()|$input.path('$.pets[0].name')|$input.path('$.n')"
                + "|$input.json('$.pets[1]')|[$!input.path('$.pets[1].age')]";

        assertThat(ApiGatewayTemplates.render(template, BODY, Map.of()).body())
                .isEqualTo("2|Rex \"the\" dog|7|{\"name\":\"Ünï\"}|[]");
    }

    @Test
    void input_body_is_the_raw_payload_with_java_string_methods() {
        assertThat(ApiGatewayTemplates.render("$input.body.trim().startsWith(\"{\")", "  " + BODY, Map.of()).body())
                .isEqualTo("true");
    }

    @Test
    void util_encodes_escapes_and_parses() {
        String template = "$util.base64Encode('é\"')|$util.escapeJavaScript($input.path('$.q'))"
                + "|$util.parseJson($input.json('$.pets')).get(0).name|$util.base64Decode('w6ki')";
        String body = "{\"q\":\"it's \\\"q\\\"\\n\",\"pets\":[{\"name\":\"Rex \\\"the\\\" dog\"}]}";

        assertThat(ApiGatewayTemplates.render(template, body, Map.of()).body())
                .isEqualTo("w6ki|it\\'s \\\"q\\\"\\n|Rex \"the\" dog|é\"");
    }

    @Test
    void context_values_are_read_and_the_response_status_can_be_overridden() {
        ApiGatewayTemplates.Rendered rendered = ApiGatewayTemplates.render(
                "$context.requestTimeEpoch#set($context.responseOverride.status = 502)", "{}",
                Map.of("requestTimeEpoch", 1_764_152_130_000L));

        assertThat(rendered.body()).isEqualTo("1764152130000");
        assertThat(rendered.statusOverride()).isEqualTo(502);
        assertThat(ApiGatewayTemplates.render("x", "{}", Map.of()).statusOverride()).isNull();
    }

    @Test
    void input_params_finds_a_parameter_in_path_query_string_or_header() {
        String template = "$input.params('content-encoding')|$input.params().header.get('content-encoding')|[$!input.params('x')]";

        assertThat(ApiGatewayTemplates.render(template, "{}", Map.of(),
                Map.of("header", Map.of("content-encoding", "gzip"))).body()).isEqualTo("gzip|gzip|[]");
    }

    @Test
    void directives_on_their_own_lines_leave_no_blank_lines_as_in_velocity_1_7() {
        String template = "#set($a = 1)\n#if($a == 1)\nyes\n#end\nend";

        assertThat(ApiGatewayTemplates.render(template, "{}", Map.of()).body()).isEqualTo("yes\nend");
    }

    @Test
    void gateway_response_templates_are_only_substituted_never_escaped() {
        String template = "{\"d\":$context.error.messageString,\"v\":\"$context.error.validationErrorString\"}";

        assertThat(ApiGatewayTemplates.substitute(template, Map.of("error.messageString", "\"Invalid\"",
                "error.validationErrorString", "[\"a\"]")))
                .isEqualTo("{\"d\":\"Invalid\",\"v\":\"[\"a\"]\"}");
        assertThatThrownBy(() -> ApiGatewayTemplates.substitute(template, Map.of()))
                .hasMessageContaining("$context.error.messageString");
    }
}
