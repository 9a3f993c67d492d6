package dev.quarry.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import org.apache.commons.text.StringEscapeUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway's mapping templates, rendered offline. Request and integration-response templates are Velocity with
 * the variables of AWS's reference ("API Gateway mapping template and access logging variable reference",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html):
 * <ul>
 * <li>{@code $input.body} the raw payload as a string; {@code $input.json(x)} the JSONPath result as a JSON string;
 * {@code $input.path(x)} the JSONPath result as an object VTL can use ({@code .size()} on an array, a string as a
 * string); {@code $input.params()} the request parameters;</li>
 * <li>{@code $util.base64Encode}, {@code base64Decode}, {@code escapeJavaScript} (JavaScript string rules),
 * {@code parseJson} (a JSON string as an object), {@code urlEncode}, {@code urlDecode};</li>
 * <li>{@code $context}: whatever the caller puts in (for example {@code requestTimeEpoch}, epoch milliseconds),
 * and {@code responseOverride.status}, which a response template may set.</li>
 * </ul>
 * Gateway-response templates are not Velocity ("A GatewayResponse mapping template isn't processed by the VTL
 * engine"): {@link #substitute} replaces {@code $context.x} and nothing else.
 *
 * <p>API Gateway's VTL follows Velocity 1.7; the engine here is Velocity 2, configured the 1.7 way where it can
 * be: whitespace around directives is gobbled as 1.7 did, and {@code #if} is false only for null and false. One
 * difference cannot be configured away: in 1.7 {@code #set($x = <null>)} leaves {@code $x} as it was, in 2 it
 * clears it. Templates must not rely on either (set the variable to {@code ""} first).
 */
public final class ApiGatewayTemplates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonProvider(JSON))
            .mappingProvider(new JacksonMappingProvider(JSON))
            .options(Option.DEFAULT_PATH_LEAF_TO_NULL, Option.SUPPRESS_EXCEPTIONS)
            .build();
    private static final Pattern CONTEXT_VARIABLE = Pattern.compile("\\$context\\.([A-Za-z0-9_.]+)");

    private ApiGatewayTemplates() {
    }

    /** A rendered template: its text and the status a template set with {@code $context.responseOverride.status}. */
    public record Rendered(String body, Integer statusOverride) {
    }

    /**
     * Renders a request or integration-response template over {@code payload} (the request body, or what the
     * integration answered) with the given {@code $context} values (nested maps for dotted names).
     */
    public static Rendered render(String template, String payload, Map<String, Object> context) {
        return render(template, payload, context, Map.of());
    }

    /**
     * As {@link #render(String, String, Map)}, with request parameters for {@code $input.params()}: a map of
     * {@code path}, {@code querystring} and {@code header} to name → value maps, as AWS describes it.
     */
    public static Rendered render(String template, String payload, Map<String, Object> context,
                                  Map<String, Map<String, String>> params) {
        Map<String, Object> contextMap = new LinkedHashMap<>(context);
        Map<String, Object> responseOverride = new LinkedHashMap<>();
        contextMap.put("responseOverride", responseOverride);
        VelocityContext velocity = new VelocityContext();
        velocity.put("input", new Input(payload, params));
        velocity.put("util", new Util());
        velocity.put("context", contextMap);
        StringWriter out = new StringWriter();
        engine().evaluate(velocity, out, "mapping-template", template);
        Object status = responseOverride.get("status");
        return new Rendered(out.toString(), status == null ? null : Integer.valueOf(status.toString()));
    }

    /**
     * A gateway-response template with its {@code $context.x} variables replaced by {@code values} as they are
     * (no quoting added, no escaping: API Gateway does none). An unknown variable fails, so a test never passes
     * over a variable it did not mean to provide.
     */
    public static String substitute(String template, Map<String, String> values) {
        Matcher matcher = CONTEXT_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("No value for $context." + matcher.group(1) + " in " + template);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static VelocityEngine engine() {
        Properties properties = new Properties();
        properties.setProperty("parser.space_gobbling", "bc"); // Velocity 1.7's whitespace handling
        properties.setProperty("directive.if.empty_check", "false"); // 1.7: #if is false only for null and false
        properties.setProperty("runtime.strict_mode.enable", "false");
        VelocityEngine engine = new VelocityEngine(properties);
        engine.init();
        return engine;
    }

    /** {@code $input}. */
    public static final class Input {
        private final String body;
        private final Map<String, Map<String, String>> params;

        Input(String body, Map<String, Map<String, String>> params) {
            this.body = body;
            this.params = params;
        }

        public String getBody() {
            return body;
        }

        public Object path(String jsonPath) {
            return JsonPath.using(JSON_PATH).parse(body).read(jsonPath);
        }

        public String json(String jsonPath) {
            try {
                return JSON.writeValueAsString(path(jsonPath));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot write the JSONPath result of " + jsonPath, e);
            }
        }

        public Map<String, Map<String, String>> params() {
            return params;
        }

        /** A parameter by name, searched in path, query string and headers in that order (AWS's order). */
        public String params(String name) {
            for (String where : java.util.List.of("path", "querystring", "header")) {
                String value = params.getOrDefault(where, Map.of()).get(name);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }
    }

    /** {@code $util}. */
    public static final class Util {
        public String base64Encode(String data) {
            return Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8));
        }

        public String base64Decode(String data) {
            return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
        }

        public String escapeJavaScript(String data) {
            return StringEscapeUtils.escapeEcmaScript(data);
        }

        public Object parseJson(String json) {
            try {
                return JSON.readValue(json, Object.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Not JSON: " + json, e);
            }
        }

        public String urlEncode(String data) {
            return java.net.URLEncoder.encode(data, StandardCharsets.UTF_8);
        }

        public String urlDecode(String data) {
            return java.net.URLDecoder.decode(data, StandardCharsets.UTF_8);
        }
    }
}
