package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Reading a generated CloudFormation template: resources by id or type, and intrinsic values as text. */
record Template(JsonNode json) {

    JsonNode resource(String logicalId) {
        JsonNode resource = json.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new AssertionError("The template has no resource " + logicalId + "; it has "
                    + iterable(json.path("Resources").fieldNames()));
        }
        return resource;
    }

    JsonNode properties(String logicalId) {
        return resource(logicalId).path("Properties");
    }

    /** Logical ids of the resources of one type, in template order. */
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        json.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                ids.add(e.getKey());
            }
        });
        return ids;
    }

    Map<String, JsonNode> resourcesOfType(String type) {
        return ofType(type).stream().collect(Collectors.toMap(id -> id, this::resource, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    /**
     * A value as text: literals as they are, {@code Ref X} as {@code {X}}, {@code Fn::GetAtt [X, A]} as
     * {@code {X.A}}, {@code Fn::Join} joined, {@code Fn::Sub} as its template string.
     */
    static String text(JsonNode value) {
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.has("Ref")) {
            return "{" + value.get("Ref").asText() + "}";
        }
        if (value.has("Fn::GetAtt")) {
            return "{" + value.get("Fn::GetAtt").get(0).asText() + "." + value.get("Fn::GetAtt").get(1).asText() + "}";
        }
        if (value.has("Fn::Join")) {
            String separator = value.get("Fn::Join").get(0).asText();
            return StreamSupport.stream(value.get("Fn::Join").get(1).spliterator(), false)
                    .map(Template::text).collect(Collectors.joining(separator));
        }
        if (value.has("Fn::Sub")) {
            JsonNode sub = value.get("Fn::Sub");
            return sub.isTextual() ? sub.asText() : sub.get(0).asText();
        }
        return value.toString();
    }

    static List<JsonNode> list(JsonNode arrayOrSingle) {
        if (arrayOrSingle == null || arrayOrSingle.isMissingNode()) {
            return List.of();
        }
        if (arrayOrSingle.isArray()) {
            return iterable(arrayOrSingle.elements());
        }
        return List.of(arrayOrSingle);
    }

    static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
