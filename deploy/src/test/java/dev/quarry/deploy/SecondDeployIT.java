package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Second deploys: a change of a resource's name or other create-only property (its provider schema's
 * {@code createOnlyProperties}) replaces it, and a custom-named one cannot be replaced under the same name, so the
 * update fails. No param of serverless.yml may change such a property: the dev stage packaged with every param
 * changed keeps each create-only value of every resource both variants have (docs/deploy.md, "Second deploys").
 */
class SecondDeployIT {

    @Test
    void no_param_changes_a_name_or_create_only_property_between_deploys() {
        JsonNode defaults = TestingServerless.template("dev", "--stage", "dev");
        JsonNode changed = TestingServerless.template("every-param-changed", "--stage", "dev",
                "--param=runtime=native", "--param=architecture=arm64", "--param=logRetentionDays=31",
                "--param=projectionDays=47", "--param=errorRetentionDays=15", "--param=athenaResultRetentionDays=6",
                "--param=noncurrentDays=8", "--param=bufferSeconds=301", "--param=throttleRate=51",
                "--param=throttleBurst=101", "--param=quotaPerDay=1000001", "--param=bytesScannedCutoff=1073741825",
                "--param=functionLogRetentionDays=30", "--param=waf=true", "--param=wafRateLimit=1001",
                "--param=alarmEmail=ops@example.com", "--param=readerKeys=false", "--param=apiLogging=ERROR");
        ProviderSchemas schemas = new ProviderSchemas("us-east-1");
        List<String> flipped = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> resource : Template.iterable(defaults.path("Resources").fields())) {
            String id = resource.getKey();
            String type = resource.getValue().path("Type").asText();
            JsonNode other = changed.path("Resources").path(id);
            if (other.isMissingNode() || !type.equals(other.path("Type").asText())) {
                continue;
            }
            for (JsonNode pointer : schemas.schema(type).path("createOnlyProperties")) {
                String path = pointer.asText().replaceFirst("^/properties", "/Properties");
                JsonNode before = resource.getValue().at(path);
                JsonNode after = other.at(path);
                checked++;
                if (!before.equals(after)) {
                    flipped.add(id + path + ": " + before + " → " + after);
                }
            }
        }
        assertThat(flipped).isEmpty();
        assertThat(checked).isGreaterThan(30);
    }
}
