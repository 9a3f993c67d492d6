package dev.quarry.deploy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The renderer's variables behave as AWS's mapping-template reference describes them. */
class ApiGatewayTemplatesTest {

    private static final String BODY = "{\"pets\":[{\"name\":\"Rex \\\"the\\\" dog\",\"age\":3},{\"name\":\"Ünï\"}],\"n\":7}";

    @Test
    void inputPathGivesObjectsVtlCanUseAndJsonGivesJsonText() {
        String template = "$input.path('$.pets').size()|$input.path('$.pets[0].name')|$input.path('$.n')"
                + "|$input.json('$.pets[1]')|[$!input.path('$.pets[1].age')]";

        assertThat(ApiGatewayTemplates.render(template, BODY, Map.of()).body())
                .isEqualTo("2|Rex \"the\" dog|7|{\"name\":\"Ünï\"}|[]");
    }

    @Test
    void inputBodyIsTheRawPayloadWithJavaStringMethods() {
        assertThat(ApiGatewayTemplates.render("$input.body.trim().startsWith(\"{\")", "  " + BODY, Map.of()).body())
                .isEqualTo("true");
    }

    @Test
    void utilEncodesEscapesAndParses() {
        String template = "$util.base64Encode('é\"')|$util.escapeJavaScript($input.path('$.q'))"
                + "|$util.parseJson($input.json('$.pets')).get(0).name|$util.base64Decode('w6ki')";
        String body = "{\"q\":\"it's \\\"q\\\"\\n\",\"pets\":[{\"name\":\"Rex \\\"the\\\" dog\"}]}";

        assertThat(ApiGatewayTemplates.render(template, body, Map.of()).body())
                .isEqualTo("w6ki|it\\'s \\\"q\\\"\\n|Rex \"the\" dog|é\"");
    }

    @Test
    void contextValuesAreReadAndTheResponseStatusCanBeOverridden() {
        ApiGatewayTemplates.Rendered rendered = ApiGatewayTemplates.render(
                "$context.requestTimeEpoch#set($context.responseOverride.status = 502)", "{}",
                Map.of("requestTimeEpoch", 1_764_152_130_000L));

        assertThat(rendered.body()).isEqualTo("1764152130000");
        assertThat(rendered.statusOverride()).isEqualTo(502);
        assertThat(ApiGatewayTemplates.render("x", "{}", Map.of()).statusOverride()).isNull();
    }

    @Test
    void inputParamsFindsAParameterInPathQueryStringOrHeader() {
        String template = "$input.params('content-encoding')|$input.params().header.get('content-encoding')|[$!input.params('x')]";

        assertThat(ApiGatewayTemplates.render(template, "{}", Map.of(),
                Map.of("header", Map.of("content-encoding", "gzip"))).body()).isEqualTo("gzip|gzip|[]");
    }

    @Test
    void directivesOnTheirOwnLinesLeaveNoBlankLinesAsInVelocity17() {
        String template = "#set($a = 1)\n#if($a == 1)\nyes\n#end\nend";

        assertThat(ApiGatewayTemplates.render(template, "{}", Map.of()).body()).isEqualTo("yes\nend");
    }

    @Test
    void gatewayResponseTemplatesAreOnlySubstitutedNeverEscaped() {
        String template = "{\"d\":$context.error.messageString,\"v\":\"$context.error.validationErrorString\"}";

        assertThat(ApiGatewayTemplates.substitute(template, Map.of("error.messageString", "\"Invalid\"",
                "error.validationErrorString", "[\"a\"]")))
                .isEqualTo("{\"d\":\"Invalid\",\"v\":\"[\"a\"]\"}");
        assertThatThrownBy(() -> ApiGatewayTemplates.substitute(template, Map.of()))
                .hasMessageContaining("$context.error.messageString");
    }
}
