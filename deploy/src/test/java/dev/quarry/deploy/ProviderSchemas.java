package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generated CloudFormation template checked against the CloudFormation resource provider schemas of its region,
 * as the cfn-lint project ships them (src/test/resources/cloudformation-schemas/, SOURCE.md says from which commit):
 * the type exists in the region; properties, required properties, types, enums, patterns and lengths (the schema,
 * with the networknt validator the record contract uses); {@code Ref}, {@code Fn::GetAtt} and {@code Fn::Sub}
 * targets and attributes (an attribute is one of the type's {@code readOnlyProperties}); {@code DependsOn}
 * targets; no dependency cycle. Conditions are evaluated (the framework writes the params into them as
 * literals), so each resource is checked as the variant deploys it.
 *
 * <p>As CloudFormation (and cfn-lint) do, a scalar where another scalar type is expected passes when
 * CloudFormation converts it ({@code "30"} for an integer, {@code 7} for a string); a value that is still an
 * intrinsic function after the conditions are resolved is checked for its targets only.
 */
final class ProviderSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/cloudformation-schemas/";
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([^!}][^}]*)}");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private final String region;
    private final Set<String> regionTypes;
    private final Set<String> everyPropertyAnAttribute = Set.copyOf(List.of(read(ROOT + "getatt-all-properties.txt")
            .split("\n")));
    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, JsonSchema> validators = new HashMap<>();

    ProviderSchemas(String region) {
        this.region = region;
        this.regionTypes = Set.copyOf(List.of(read(directory(region) + "types.txt").split("\n")));
    }

    private static String directory(String region) {
        return ROOT + region.replace('-', '_') + "/";
    }

    /** The provider schema of a type: the region's own when cfn-lint has one, else us-east-1's. */
    JsonNode schema(String type) {
        return schemas.computeIfAbsent(type, t -> {
            String file = t.toLowerCase().replace("::", "-") + ".json";
            String text = resource(directory(region) + file);
            if (text == null) {
                text = resource(directory("us-east-1") + file);
            }
            if (text == null) {
                throw new IllegalStateException("No provider schema for " + t + " under " + ROOT + "; copy "
                        + "src/cfnlint/data/schemas/providers/us_east_1/" + file + " from the commit in SOURCE.md");
            }
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Every problem of the template, one line each; empty when CloudFormation's schemas find nothing. */
    List<String> problems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        Map<String, Boolean> conditions = conditions(template, problems);
        JsonNode resources = template.path("Resources");
        Set<String> parameters = new HashSet<>(Template.iterable(template.path("Parameters").fieldNames()));
        Map<String, JsonNode> deployed = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String condition = entry.getValue().path("Condition").asText(null);
            if (condition == null || conditions.getOrDefault(condition, false)) {
                deployed.put(entry.getKey(), entry.getValue());
                types.put(entry.getKey(), entry.getValue().path("Type").asText());
            }
        }
        Map<String, Set<String>> dependencies = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : deployed.entrySet()) {
            String id = entry.getKey();
            String type = types.get(id);
            if (!regionTypes.contains(type)) {
                problems.add(id + ": type " + type + " does not exist in " + region);
                continue;
            }
            JsonNode properties = resolve(entry.getValue().path("Properties"), conditions);
            if (properties == null) {
                properties = JsonNodeFactory.instance.objectNode();
            }
            Set<String> targets = new LinkedHashSet<>();
            Set<String> intrinsics = new HashSet<>();
            references(properties, "", id, types, parameters, problems, targets, intrinsics);
            for (JsonNode dependsOn : Template.list(entry.getValue().path("DependsOn"))) {
                if (!types.containsKey(dependsOn.asText())) {
                    problems.add(id + ": DependsOn " + dependsOn.asText() + ", which is not a resource of the stack");
                }
                targets.add(dependsOn.asText());
            }
            dependencies.put(id, targets);
            for (ValidationMessage message : validator(type).validate(properties)) {
                String location = message.getInstanceLocation().toString().replaceFirst("^\\$", "");
                if (underIntrinsic(pointer(location), intrinsics) || convertible(message)) {
                    continue;
                }
                problems.add(id + " (" + type + "): " + message.getMessage());
            }
        }
        cycle(dependencies).ifPresent(cycle -> problems.add("dependency cycle: " + String.join(" → ", cycle)));
        return problems;
    }

    private JsonSchema validator(String type) {
        return validators.computeIfAbsent(type, t -> {
            ObjectNode schema = schema(t).deepCopy();
            schema.put("$schema", "http://json-schema.org/draft-07/schema#");
            return FACTORY.getSchema(schema);
        });
    }

    // ------------------------------------------------------------------ conditions

    private static Map<String, Boolean> conditions(JsonNode template, List<String> problems) {
        Map<String, Boolean> values = new HashMap<>();
        JsonNode conditions = template.path("Conditions");
        for (String name : Template.iterable(conditions.fieldNames())) {
            evaluate(name, conditions, values, problems, new HashSet<>());
        }
        return values;
    }

    private static boolean evaluate(String name, JsonNode conditions, Map<String, Boolean> values,
                                    List<String> problems, Set<String> visiting) {
        if (values.containsKey(name)) {
            return values.get(name);
        }
        if (!conditions.has(name) || !visiting.add(name)) {
            problems.add("condition " + name + (conditions.has(name) ? " refers to itself" : " does not exist"));
            return false;
        }
        boolean value = condition(conditions.get(name), conditions, values, problems, visiting);
        values.put(name, value);
        return value;
    }

    private static boolean condition(JsonNode node, JsonNode conditions, Map<String, Boolean> values,
                                     List<String> problems, Set<String> visiting) {
        if (node.has("Condition")) {
            return evaluate(node.get("Condition").asText(), conditions, values, problems, visiting);
        }
        if (node.has("Fn::Equals")) {
            JsonNode a = node.get("Fn::Equals").get(0);
            JsonNode b = node.get("Fn::Equals").get(1);
            if (!a.isValueNode() || !b.isValueNode()) {
                problems.add("condition " + node + " compares values known only at deploy time");
                return false;
            }
            return a.asText().equals(b.asText());
        }
        if (node.has("Fn::Not")) {
            return !condition(node.get("Fn::Not").get(0), conditions, values, problems, visiting);
        }
        if (node.has("Fn::And") || node.has("Fn::Or")) {
            boolean and = node.has("Fn::And");
            boolean result = and;
            for (JsonNode operand : node.get(and ? "Fn::And" : "Fn::Or")) {
                boolean value = condition(operand, conditions, values, problems, visiting);
                result = and ? result && value : result || value;
            }
            return result;
        }
        problems.add("condition " + node + " is not a condition function");
        return false;
    }

    /** The value as deployed: {@code Fn::If} replaced by its branch, {@code AWS::NoValue} removed (null). */
    private static JsonNode resolve(JsonNode node, Map<String, Boolean> conditions) {
        if (node.isObject() && node.size() == 1 && node.has("Fn::If")) {
            JsonNode branches = node.get("Fn::If");
            boolean value = conditions.getOrDefault(branches.get(0).asText(), false);
            return resolve(branches.get(value ? 1 : 2), conditions);
        }
        if (node.isObject() && node.size() == 1 && "AWS::NoValue".equals(node.path("Ref").asText(null))) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> {
                JsonNode value = resolve(e.getValue(), conditions);
                if (value != null) {
                    copy.set(e.getKey(), value);
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> {
                JsonNode value = resolve(item, conditions);
                if (value != null) {
                    copy.add(value);
                }
            });
            return copy;
        }
        return node;
    }

    // ------------------------------------------------------------------ references

    private void references(JsonNode node, String pointer, String id, Map<String, String> types,
                            Set<String> parameters, List<String> problems, Set<String> targets,
                            Set<String> intrinsics) {
        if (node.isObject() && node.size() == 1 && node.fieldNames().next().matches("Ref|Fn::.*")) {
            intrinsics.add(pointer);
            String function = node.fieldNames().next();
            JsonNode argument = node.get(function);
            switch (function) {
                case "Ref" -> {
                    String target = argument.asText();
                    if (types.containsKey(target)) {
                        targets.add(target);
                    } else if (!PSEUDO_PARAMETERS.contains(target) && !parameters.contains(target)) {
                        problems.add(id + pointer + ": Ref " + target + ", which is no resource, parameter or"
                                + " pseudo parameter of the stack");
                    }
                }
                case "Fn::GetAtt" -> getAtt(argument.get(0).asText(), argument.get(1).asText(), id + pointer,
                        types, problems, targets);
                case "Fn::Sub" -> {
                    String text = argument.isTextual() ? argument.asText() : argument.get(0).asText();
                    Set<String> variables = argument.isArray() && argument.size() > 1
                            ? new HashSet<>(Template.iterable(argument.get(1).fieldNames())) : Set.of();
                    Matcher matcher = SUB_REFERENCE.matcher(text);
                    while (matcher.find()) {
                        String reference = matcher.group(1);
                        int dot = reference.indexOf('.');
                        if (variables.contains(reference) || PSEUDO_PARAMETERS.contains(reference)
                                || parameters.contains(reference)) {
                            continue;
                        }
                        if (dot > 0) {
                            getAtt(reference.substring(0, dot), reference.substring(dot + 1), id + pointer, types,
                                    problems, targets);
                        } else if (types.containsKey(reference)) {
                            targets.add(reference);
                        } else {
                            problems.add(id + pointer + ": Fn::Sub refers to ${" + reference + "}, which is no"
                                    + " resource, parameter or pseudo parameter of the stack");
                        }
                    }
                    if (argument.isArray() && argument.size() > 1) {
                        references(argument.get(1), pointer, id, types, parameters, problems, targets, intrinsics);
                    }
                }
                default -> references(argument, pointer, id, types, parameters, problems, targets, intrinsics);
            }
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> references(e.getValue(), pointer + "/" + e.getKey(), id, types,
                    parameters, problems, targets, intrinsics));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                references(node.get(i), pointer + "/" + i, id, types, parameters, problems, targets, intrinsics);
            }
        }
    }

    private void getAtt(String target, String attribute, String where, Map<String, String> types,
                        List<String> problems, Set<String> targets) {
        String type = types.get(target);
        if (type == null) {
            problems.add(where + ": Fn::GetAtt " + target + "." + attribute + ", and " + target
                    + " is not a resource of the stack");
            return;
        }
        targets.add(target);
        if (!regionTypes.contains(type)) {
            return; // reported as a type the region lacks
        }
        String property = "/properties/" + attribute.replace('.', '/');
        boolean known = everyPropertyAnAttribute.contains(type) && schema(type).path("properties").has(attribute);
        for (JsonNode readOnly : schema(type).path("readOnlyProperties")) {
            known |= readOnly.asText().equals(property);
        }
        if (!known) {
            problems.add(where + ": Fn::GetAtt " + target + "." + attribute + ", and " + type + " has no attribute "
                    + attribute + " (its attributes: " + schema(type).path("readOnlyProperties") + ")");
        }
    }

    private static String pointer(String jsonPath) {
        // networknt writes locations as $.a.b[0] or $['a.b']; compare as JSON pointers.
        StringBuilder pointer = new StringBuilder();
        Matcher matcher = Pattern.compile("\\.([^.\\[]+)|\\['([^']*)']|\\[(\\d+)]").matcher(jsonPath);
        while (matcher.find()) {
            String part = matcher.group(1) != null ? matcher.group(1)
                    : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            pointer.append('/').append(part);
        }
        return pointer.toString();
    }

    private static boolean underIntrinsic(String pointer, Set<String> intrinsics) {
        for (String intrinsic : intrinsics) {
            if (pointer.equals(intrinsic) || pointer.startsWith(intrinsic + "/")) {
                return true;
            }
        }
        return false;
    }

    /** A scalar CloudFormation converts to the type the schema wants. */
    private static boolean convertible(ValidationMessage message) {
        if (!"type".equals(message.getType()) || message.getInstanceNode() == null) {
            return false;
        }
        JsonNode value = message.getInstanceNode();
        String expected = message.getSchemaNode() == null ? "" : message.getSchemaNode().toString();
        if (value.isTextual()) {
            String text = value.asText();
            return (expected.contains("integer") && text.matches("-?\\d+"))
                    || (expected.contains("number") && text.matches("-?\\d+(\\.\\d+)?"))
                    || (expected.contains("boolean") && text.matches("true|false"));
        }
        return (value.isNumber() || value.isBoolean()) && expected.contains("string");
    }

    private static java.util.Optional<List<String>> cycle(Map<String, Set<String>> dependencies) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : dependencies.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, dependencies, state, path);
            if (found != null) {
                return java.util.Optional.of(found);
            }
        }
        return java.util.Optional.empty();
    }

    private static List<String> visit(String id, Map<String, Set<String>> dependencies, Map<String, Integer> state,
                                      List<String> path) {
        Integer seen = state.get(id);
        if (seen != null && seen == 2) {
            return null;
        }
        if (seen != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            return cycle;
        }
        state.put(id, 1);
        path.add(id);
        for (String next : dependencies.getOrDefault(id, Set.of())) {
            List<String> found = visit(next, dependencies, state, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
        return null;
    }

    private static String resource(String path) {
        try (InputStream in = ProviderSchemas.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String path) {
        String text = resource(path);
        if (text == null) {
            throw new IllegalStateException("Missing test resource " + path);
        }
        return text;
    }
}
