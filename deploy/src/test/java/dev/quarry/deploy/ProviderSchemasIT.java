package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code npx serverless package} of five variants, each checked against CloudFormation's resource provider schemas
 * of its region ({@link ProviderSchemas}) and against the rules no schema states: a CloudFront web ACL is created
 * in us-east-1 only; execution logging needs the account's API Gateway CloudWatch Logs role, which a new account
 * lacks; CloudFront names are unique per account, so each carries the region. A self-test injects a fault of each
 * kind into the dev template and expects each to be found.
 */
class ProviderSchemasIT {

    private static final String WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/"
            + "0f1e2d3c-aaaa-bbbb-cccc-0123456789ab";
    /** Account-global CloudFront names: type → JSON pointer of the name in its properties. */
    private static final Map<String, String> CLOUDFRONT_NAMES = Map.of(
            "AWS::CloudFront::OriginAccessControl", "/OriginAccessControlConfig/Name",
            "AWS::CloudFront::CachePolicy", "/CachePolicyConfig/Name",
            "AWS::CloudFront::OriginRequestPolicy", "/OriginRequestPolicyConfig/Name",
            "AWS::CloudFront::ResponseHeadersPolicy", "/ResponseHeadersPolicyConfig/Name",
            "AWS::CloudFront::Function", "/Name",
            "AWS::CloudFront::KeyValueStore", "/Name");

    private record Variant(String name, String region, List<String> arguments) {
        JsonNode template() {
            return TestingServerless.template(name, arguments.toArray(String[]::new));
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("dev", "us-east-1", List.of("--stage", "dev")),
            new Variant("prod", "us-east-1", List.of("--stage", "prod")),
            new Variant("prod-eu-west-1-web-acl", "eu-west-1",
                    List.of("--stage", "prod", "--region", "eu-west-1", "--param=webAclArn=" + WEB_ACL)),
            new Variant("dev-eu-west-1-mailed-open", "eu-west-1", List.of("--stage", "dev", "--region", "eu-west-1",
                    "--param=alarmEmail=ops@example.com", "--param=readerKeys=false")),
            new Variant("native", "us-east-1", List.of("--stage", "dev", "--param=runtime=native")));

    /** Every problem: the provider schemas', then the rules no schema states. */
    static List<String> problems(JsonNode template, String region) {
        List<String> problems = new ArrayList<>(new ProviderSchemas(region).problems(template));
        problems.addAll(unstatedRules(template, region));
        return problems;
    }

    static List<String> unstatedRules(JsonNode template, String region) {
        Template stack = new Template(template);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> acl : stack.resourcesOfType("AWS::WAFv2::WebACL").entrySet()) {
            if (deployed(template, acl.getValue()) && "CLOUDFRONT".equals(acl.getValue().at("/Properties/Scope").asText())
                    && !"us-east-1".equals(region)) {
                problems.add(acl.getKey() + ": a CLOUDFRONT web ACL can only be created in us-east-1, not " + region);
            }
        }
        for (Map.Entry<String, JsonNode> stage : stack.resourcesOfType("AWS::ApiGateway::Stage").entrySet()) {
            for (JsonNode setting : stage.getValue().at("/Properties/MethodSettings")) {
                String level = setting.path("LoggingLevel").asText("OFF");
                if (!"OFF".equals(level)) {
                    problems.add(stage.getKey() + ": LoggingLevel " + level + " needs the account's API Gateway"
                            + " CloudWatch Logs role (cloudwatchRoleArn), which a new account does not have");
                }
            }
            if (stage.getValue().at("/Properties/AccessLogSetting").isObject()) {
                problems.add(stage.getKey() + ": access logging needs the account's API Gateway CloudWatch Logs role");
            }
        }
        Set<String> names = new HashSet<>();
        CLOUDFRONT_NAMES.forEach((type, pointer) -> stack.resourcesOfType(type).forEach((id, resource) -> {
            String name = Template.text(resource.at("/Properties" + pointer));
            if (!name.contains(region)) {
                problems.add(id + ": the CloudFront name " + name + " is unique per account, not per region, and"
                        + " does not carry the region " + region);
            }
            if (!names.add(type + " " + name)) {
                problems.add(id + ": the CloudFront name " + name + " is used twice");
            }
        }));
        return problems;
    }

    private static boolean deployed(JsonNode template, JsonNode resource) {
        String condition = resource.path("Condition").asText(null);
        if (condition == null) {
            return true;
        }
        // The framework writes params into conditions as literals; Fn::And of Fn::Equals is all this stack uses.
        JsonNode node = template.path("Conditions").path(condition);
        List<JsonNode> equalities = node.has("Fn::And") ? Template.list(node.get("Fn::And")) : List.of(node);
        return equalities.stream().allMatch(e -> e.has("Fn::Equals")
                && e.get("Fn::Equals").get(0).asText().equals(e.get("Fn::Equals").get(1).asText()));
    }

    @Test
    void every_variant_passes_the_provider_schemas_of_its_region_and_the_rules_no_schema_states() {
        for (Variant variant : VARIANTS) {
            assertThat(problems(variant.template(), variant.region())).as(variant.name()).isEmpty();
        }
    }

    @Test
    void prod_in_eu_west_1_without_a_web_acl_arn_is_refused_before_anything_reaches_aws_with_one_line() {
        assertThatThrownBy(() -> TestingServerless.template("prod-eu-west-1", "--stage", "prod", "--region",
                "eu-west-1"))
                .hasMessageContaining("Stage prod creates a CloudFront web ACL (waf: 'true'), which AWS creates in"
                        + " us-east-1 only, but the region is eu-west-1: deploy with --region us-east-1, attach an"
                        + " existing web ACL with --param=webAclArn=<arn of a CloudFront-scope web ACL>, or turn it"
                        + " off with --param=waf=false.");
    }

    @Test
    void a_given_web_acl_is_attached_by_arn_and_none_is_created() {
        Template template = new Template(VARIANTS.get(2).template());
        JsonNode webAclId = template.properties("SummaryDistribution").at("/DistributionConfig/WebACLId");
        assertThat(webAclId.at("/Fn::If/0").asText()).isEqualTo("WebAclGiven");
        assertThat(webAclId.at("/Fn::If/1").asText()).isEqualTo(WEB_ACL);
        assertThat(deployed(template.json(), template.resource("SummaryWebAcl"))).isFalse();
    }

    @Test
    void a_new_account_can_deploy_every_variant_because_execution_logging_is_off_and_metrics_stay_on() {
        for (Variant variant : VARIANTS) {
            JsonNode settings = new Template(variant.template()).properties("IngestStage").path("MethodSettings");
            assertThat(settings).as(variant.name()).allSatisfy(setting -> {
                assertThat(setting.path("LoggingLevel").asText()).isEqualTo("OFF");
                assertThat(setting.path("MetricsEnabled").asBoolean()).isTrue();
            });
        }
        JsonNode logged = TestingServerless.template("api-logging", "--stage", "dev", "--param=apiLogging=ERROR");
        assertThat(unstatedRules(logged, "us-east-1")).singleElement().asString()
                .contains("LoggingLevel ERROR needs the account's API Gateway CloudWatch Logs role");
    }

    @Test
    void the_same_stage_in_two_regions_has_no_cloudfront_name_in_common() {
        Set<String> east = cloudFrontNames(VARIANTS.get(0).template());
        Set<String> west = cloudFrontNames(VARIANTS.get(3).template());
        assertThat(east).hasSize(10);
        assertThat(west).hasSize(10).doesNotContainAnyElementsOf(east);
    }

    private static Set<String> cloudFrontNames(JsonNode json) {
        Set<String> names = new HashSet<>();
        Template template = new Template(json);
        CLOUDFRONT_NAMES.forEach((type, pointer) -> template.resourcesOfType(type).values()
                .forEach(resource -> names.add(type + " " + Template.text(resource.at("/Properties" + pointer)))));
        return names;
    }

    @Test
    void no_arn_in_any_variant_hard_codes_the_aws_partition() {
        for (Variant variant : VARIANTS) {
            String text = variant.template().path("Resources").toString().replace(WEB_ACL, "");
            assertThat(text).as(variant.name()).doesNotContain("arn:aws:");
        }
    }

    // ------------------------------------------------------------------ self-test

    private record Fault(String kind, String expected, Consumer<ObjectNode> inject) {
    }

    private static ObjectNode properties(ObjectNode template, String id) {
        return (ObjectNode) template.path("Resources").path(id).path("Properties");
    }

    static final List<Fault> FAULTS = List.of(
            new Fault("unknown property", "Retention", t -> properties(t, "PartitionFailures").put("Retention", 3)),
            new Fault("missing required property", "required property 'HttpMethod'",
                    t -> properties(t, "PostLogsMethod").remove("HttpMethod")),
            new Fault("wrong type", "MessageRetentionPeriod",
                    t -> properties(t, "PartitionFailures").putObject("MessageRetentionPeriod").put("days", 14)),
            new Fault("enum", "PriceClass", t -> ((ObjectNode) properties(t, "SummaryDistribution")
                    .path("DistributionConfig")).put("PriceClass", "PriceClass_7")),
            new Fault("pattern", "LogGroupName", t -> properties(t, "FirehoseLogGroup").put("LogGroupName",
                    "/aws/kinesisfirehose/quarry dev logs")),
            new Fault("length", "Name", t -> properties(t, "StaticFilesFunction").put("Name", "f".repeat(65))),
            new Fault("Fn::GetAtt attribute", "has no attribute Address", t -> ((ObjectNode) properties(t,
                    "PartitionFailuresAlarm").path("Dimensions").path(0)).putObject("Value").putArray("Fn::GetAtt")
                    .add("PartitionFailures").add("Address")),
            new Fault("Ref target", "Ref NoSuchBucket", t -> properties(t, "WebBucketPolicy").putObject("Bucket")
                    .put("Ref", "NoSuchBucket")),
            new Fault("dependency cycle", "dependency cycle", t -> ((ObjectNode) t.path("Resources")
                    .path("LogsBucket")).putArray("DependsOn").add("WebBucketPolicy")),
            new Fault("type in region", "does not exist in", t -> ((ObjectNode) t.path("Resources")
                    .path("PartitionFailures")).put("Type", "AWS::SQS::Queues")),
            new Fault("WAF scope and region", "can only be created in us-east-1", t -> {
                ObjectNode conditions = (ObjectNode) t.path("Conditions");
                ArrayNode and = conditions.putObject("WafEnabled").putArray("Fn::And");
                and.addObject().putArray("Fn::Equals").add("true").add("true");
            }),
            new Fault("logging role", "CloudWatch Logs role", t -> ((ObjectNode) properties(t, "IngestStage")
                    .path("MethodSettings").path(0)).put("LoggingLevel", "ERROR")),
            new Fault("account-global CloudFront name", "does not carry the region", t -> ((ObjectNode) properties(t,
                    "WebCachePolicy").path("CachePolicyConfig")).put("Name", "quarry-dev-web")));

    @Test
    void a_template_with_an_injected_fault_of_each_kind_is_refused_naming_it() {
        Variant west = VARIANTS.get(3);
        assertThat(problems(west.template(), west.region())).isEmpty();
        for (Fault fault : FAULTS) {
            ObjectNode broken = west.template().deepCopy();
            fault.inject().accept(broken);
            assertThat(problems(broken, west.region())).as(fault.kind())
                    .anySatisfy(problem -> assertThat(problem).contains(fault.expected()));
        }
    }
}
