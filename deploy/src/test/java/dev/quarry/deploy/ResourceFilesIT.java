package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * serverless.yml includes its resources from resources/*.yml. The framework merges the included files deeply
 * and silently, so a file left out of the list, or one logical id written in two files, would change the stack
 * without an error: these tests make both fail.
 */
class ResourceFilesIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String INCLUDE = "${file(resources/%s)}";

    private final Template dev = new Template(TestingServerless.devTemplate());

    @Test
    void serverless_yml_includes_every_resource_file_once() throws IOException {
        List<String> included = new ArrayList<>();
        for (JsonNode entry : yaml(TestingServerless.root().resolve("serverless.yml")).path("resources")) {
            if (entry.isTextual()) {
                included.add(entry.asText());
            }
        }
        List<String> expected = resourceFiles().stream()
                .map(file -> INCLUDE.formatted(file.getFileName())).toList();
        assertThat(expected).as("resources/*.yml").isNotEmpty();
        assertThat(included).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void every_resource_of_the_files_is_declared_once_and_reaches_the_template() throws IOException {
        Map<String, Path> declaredIn = new LinkedHashMap<>();
        for (Path file : resourceFiles()) {
            yaml(file).path("Resources").fields().forEachRemaining(resource -> {
                Path earlier = declaredIn.putIfAbsent(resource.getKey(), file.getFileName());
                assertThat(earlier).as(resource.getKey() + " in " + file.getFileName() + " and " + earlier).isNull();
                String id = resource.getKey();
                if (id.equals("IngestDeployment")) {
                    // Renamed with a hash of the API by serverless-plugins/api-gateway-redeploy.js.
                    id = dev.ofType("AWS::ApiGateway::Deployment").get(0);
                }
                assertThat(dev.resource(id).path("Type").asText()).as(resource.getKey())
                        .isEqualTo(resource.getValue().path("Type").asText());
            });
        }
        assertThat(declaredIn).containsKeys("LogsBucket", "GlueTable", "IngestStream", "Workgroup", "SummaryDistribution");
    }

    private static List<Path> resourceFiles() throws IOException {
        try (Stream<Path> files = Files.list(TestingServerless.root().resolve("resources"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }
}
