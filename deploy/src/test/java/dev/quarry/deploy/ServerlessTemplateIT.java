package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.cost.CostModel;
import dev.quarry.record.EventDay;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.quarry.deploy.Template.list;
import static dev.quarry.deploy.Template.text;
import static org.assertj.core.api.Assertions.assertThat;

/** What `npx serverless package --stage dev` generates, read from .serverless/. */
class ServerlessTemplateIT {

    private final Template dev = new Template(TestingServerless.devTemplate());

    // ------------------------------------------------------------------ bucket

    @Test
    void the_bucket_blocks_every_kind_of_public_access_and_acls() {
        JsonNode bucket = dev.properties("LogsBucket");
        JsonNode block = bucket.path("PublicAccessBlockConfiguration");
        for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(flag).asBoolean()).as(flag).isTrue();
        }
        assertThat(bucket.at("/OwnershipControls/Rules/0/ObjectOwnership").asText()).isEqualTo("BucketOwnerEnforced");
    }

    @Test
    void the_bucket_encrypts_at_rest() {
        assertThat(dev.properties("LogsBucket")
                .at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                .asText()).isIn("AES256", "aws:kms");
    }

    @Test
    void every_bucket_refuses_requests_without_tls() {
        for (String bucket : dev.ofType("AWS::S3::Bucket")) {
            List<JsonNode> denials = new ArrayList<>();
            dev.resourcesOfType("AWS::S3::BucketPolicy").values().stream()
                    .filter(policy -> text(policy.at("/Properties/Bucket")).equals("{" + bucket + "}"))
                    .forEach(policy -> denials.addAll(list(policy.at("/Properties/PolicyDocument/Statement"))));
            assertThat(denials).as("the TLS-only statement of " + bucket).anySatisfy(statement -> {
                assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
                assertThat(statement.path("Principal").asText()).isEqualTo("*");
                assertThat(statement.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
                assertThat(list(statement.path("Resource")).stream().map(Template::text).toList())
                        .contains("{" + bucket + ".Arn}", "{" + bucket + ".Arn}/*");
            });
        }
    }

    @Test
    void logs_expire_after_the_stages_retention_and_errors_have_their_own_rule() {
        Map<String, JsonNode> dev = rulesByPrefix(this.dev);
        assertThat(dev.get("logs/").path("ExpirationInDays").asInt()).isEqualTo(30);
        assertThat(dev.get("errors/").path("ExpirationInDays").asInt()).isPositive();
        assertThat(dev.get("athena-results/").path("ExpirationInDays").asInt()).isEqualTo(7);

        Map<String, JsonNode> prod = rulesByPrefix(new Template(TestingServerless.template("prod", "--stage", "prod")));
        assertThat(prod.get("logs/").path("ExpirationInDays").asInt()).isEqualTo(400);
    }

    private static Map<String, JsonNode> rulesByPrefix(Template template) {
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        for (JsonNode rule : template.properties("LogsBucket").at("/LifecycleConfiguration/Rules")) {
            assertThat(rule.path("Status").asText()).isEqualTo("Enabled");
            rules.put(rule.path("Prefix").asText(""), rule);
        }
        return rules;
    }

    // ------------------------------------------------------------------ catalog and Firehose

    @Test
    void the_glue_table_has_the_storage_contracts_columns_in_parquet() {
        JsonNode table = dev.properties("GlueTable").path("TableInput");
        assertThat(columns(table.at("/StorageDescriptor/Columns"))).containsExactly(
                "source string", "logtype string", "timestamp timestamp", "message string",
                "attributes map<string,string>", "received_at timestamp");
        assertThat(columns(table.path("PartitionKeys"))).containsExactly("dt string");
        assertThat(table.at("/StorageDescriptor/SerdeInfo/SerializationLibrary").asText())
                .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(table.at("/StorageDescriptor/InputFormat").asText()).contains("Parquet");
        assertThat(text(table.at("/StorageDescriptor/Location"))).isEqualTo("s3://{LogsBucket}/logs/");
    }

    static List<String> columns(JsonNode columns) {
        List<String> list = new ArrayList<>();
        columns.forEach(c -> list.add(c.path("Name").asText() + " " + c.path("Type").asText()));
        return list;
    }

    @Test
    void partition_projection_lists_from_the_oldest_live_file_to_tomorrow() {
        for (Template template : List.of(dev, new Template(TestingServerless.template("prod", "--stage", "prod")))) {
            JsonNode parameters = template.properties("GlueTable").at("/TableInput/Parameters");
            assertThat(parameters.path("projection.enabled").asText()).isEqualTo("true");
            assertThat(parameters.path("projection.dt.type").asText()).isEqualTo("date");
            assertThat(parameters.path("projection.dt.format").asText()).isEqualTo("yyyy-MM-dd");
            assertThat(parameters.path("projection.dt.interval").asText()).isEqualTo("1");
            assertThat(parameters.path("projection.dt.interval.unit").asText()).isEqualTo("DAYS");
            String range = parameters.path("projection.dt.range").asText();
            Matcher matcher = Pattern.compile("NOW-(\\d+)DAYS,NOW\\+1DAYS").matcher(range);
            assertThat(matcher.matches()).as(range).isTrue();
            int daysBack = Integer.parseInt(matcher.group(1));
            int retention = rulesByPrefix(template).get("logs/").path("ExpirationInDays").asInt();

            // The newest day a record can be filed under: received just before midnight, timestamp 2 h ahead.
            Instant lateReceipt = Instant.parse("2026-11-26T23:59:59.999Z");
            LocalDate newest = EventDay.of(lateReceipt.plus(EventDay.MAX_AHEAD), lateReceipt);
            assertThat(newest).isEqualTo(projectedUpTo(lateReceipt));
            // The oldest day a live file can hold: a record 14 days old, received just before midnight, in a file
            // written after Firehose's longest buffer and expired at the midnight after `retention` days.
            Instant oldestReceipt = Instant.parse("2026-11-26T23:59:59.999Z");
            LocalDate oldest = EventDay.of(oldestReceipt.minus(EventDay.MAX_AGE), oldestReceipt);
            Instant written = oldestReceipt.plusSeconds(900);
            Instant expired = written.plus(Duration.ofDays(retention)).atZone(ZoneOffset.UTC).toLocalDate()
                    .plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            LocalDate projectedFrom = EventDay.utcDay(expired.minusMillis(1)).minusDays(daysBack);
            assertThat(projectedFrom).as("the first projected day, queried just before the file expires")
                    .isBeforeOrEqualTo(oldest);
            assertThat(daysBack).as("no more than a day of slack").isLessThanOrEqualTo(retention + 16);
        }
    }

    /** The last day `NOW+1DAYS` projects when Athena runs a query at {@code now}. */
    private static LocalDate projectedUpTo(Instant now) {
        return EventDay.utcDay(now).plusDays(1);
    }

    @Test
    void the_projections_location_template_is_exactly_where_firehose_writes() {
        JsonNode destination = dev.properties("IngestStream").path("ExtendedS3DestinationConfiguration");
        assertThat(text(destination.path("BucketARN"))).isEqualTo("{LogsBucket.Arn}");
        String firehose = "s3://{LogsBucket}/" + destination.path("Prefix").asText()
                .replace("!{partitionKeyFromQuery:dt}", "${dt}");

        String template = text(dev.properties("GlueTable").at("/TableInput/Parameters/storage.location.template"));
        assertThat(template).isEqualTo(firehose).isEqualTo("s3://{LogsBucket}/logs/dt=${dt}/");
    }

    @Test
    void firehose_converts_json_to_parquet_with_the_glue_schema() {
        JsonNode stream = dev.properties("IngestStream");
        assertThat(stream.path("DeliveryStreamType").asText()).isEqualTo("DirectPut");
        JsonNode conversion = stream.at("/ExtendedS3DestinationConfiguration/DataFormatConversionConfiguration");
        assertThat(conversion.path("Enabled").asBoolean()).isTrue();
        assertThat(text(conversion.at("/SchemaConfiguration/TableName"))).isEqualTo("{GlueTable}");
        assertThat(text(conversion.at("/SchemaConfiguration/DatabaseName"))).isEqualTo("{GlueDatabase}");
        assertThat(conversion.at("/InputFormatConfiguration/Deserializer").has("OpenXJsonSerDe")).isTrue();
        assertThat(conversion.at("/OutputFormatConfiguration/Serializer").has("ParquetSerDe")).isTrue();
    }

    @Test
    void firehose_writes_the_parquet_codec_whose_compression_the_cost_model_uses() {
        JsonNode serializer = dev.properties("IngestStream")
                .at("/ExtendedS3DestinationConfiguration/DataFormatConversionConfiguration/OutputFormatConfiguration"
                        + "/Serializer/ParquetSerDe");
        assertThat(serializer.path("Compression").asText())
                .isEqualTo(CostModel.Measured.FIREHOSE_CODEC);
    }

    @Test
    void firehose_buffers_enough_for_conversion_and_leaves_compression_to_parquet() {
        JsonNode destination = dev.properties("IngestStream").path("ExtendedS3DestinationConfiguration");
        assertThat(destination.at("/BufferingHints/SizeInMBs").asInt()).isGreaterThanOrEqualTo(64);
        assertThat(destination.at("/BufferingHints/IntervalInSeconds").asInt()).isBetween(60, 900);
        assertThat(destination.path("CompressionFormat").asText()).isEqualTo("UNCOMPRESSED");
        assertThat(destination.path("ErrorOutputPrefix").asText())
                .isEqualTo("errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/");
    }

    @Test
    void firehose_splits_each_request_into_its_records_and_partitions_them_by_event_day() {
        JsonNode destination = dev.properties("IngestStream").path("ExtendedS3DestinationConfiguration");
        assertThat(destination.at("/DynamicPartitioningConfiguration/Enabled").asBoolean()).isTrue();
        assertThat(destination.path("Prefix").asText()).isEqualTo("logs/dt=!{partitionKeyFromQuery:dt}/");
        Map<String, Map<String, String>> processors = processors(destination);
        assertThat(processors.get("RecordDeAggregation")).containsEntry("SubRecordType", "JSON");
        assertThat(processors.get("MetadataExtraction")).containsKey("MetadataExtractionQuery")
                .containsEntry("JsonParsingEngine", "JQ-1.6");
        assertThat(new ArrayList<>(processors.keySet())).startsWith("RecordDeAggregation", "MetadataExtraction");
    }

    static Map<String, Map<String, String>> processors(JsonNode destination) {
        Map<String, Map<String, String>> processors = new LinkedHashMap<>();
        for (JsonNode processor : destination.at("/ProcessingConfiguration/Processors")) {
            Map<String, String> parameters = new LinkedHashMap<>();
            processor.path("Parameters").forEach(p -> parameters.put(p.path("ParameterName").asText(),
                    p.path("ParameterValue").asText()));
            processors.put(processor.path("Type").asText(), parameters);
        }
        return processors;
    }

    // ------------------------------------------------------------------ API Gateway

    @Test
    void post_logs_goes_straight_to_firehose_put_record() {
        JsonNode method = dev.properties("PostLogsMethod");
        assertThat(method.path("HttpMethod").asText()).isEqualTo("POST");
        assertThat(text(method.path("ResourceId"))).isEqualTo("{LogsResource}");
        assertThat(dev.properties("LogsResource").path("PathPart").asText()).isEqualTo("logs");
        JsonNode integration = method.path("Integration");
        assertThat(integration.path("Type").asText()).isEqualTo("AWS");
        assertThat(integration.path("IntegrationHttpMethod").asText()).isEqualTo("POST");
        assertThat(text(integration.path("Uri"))).isEqualTo("arn:${AWS::Partition}:apigateway:${AWS::Region}:firehose:action/PutRecord");
        assertThat(integration.path("PassthroughBehavior").asText()).isEqualTo("NEVER");
        assertThat(integration.at("/RequestParameters/integration.request.header.Content-Type").asText())
                .isEqualTo("'application/x-amz-json-1.1'");
        assertThat(method.path("ApiKeyRequired").asBoolean()).isTrue();
    }

    @Test
    void the_request_template_stamps_received_at_and_sends_one_base64_record_to_the_stream() {
        String template = dev.properties("PostLogsMethod").at("/Integration/RequestTemplates/application~1json").asText();
        String stream = dev.properties("IngestStream").path("DeliveryStreamName").asText();
        assertThat(template)
                .contains("$context.requestTimeEpoch", "received_at", "$input.json($path)")
                .contains("{\"DeliveryStreamName\": \"" + stream + "\", \"Record\": {\"Data\": \"$util.base64Encode($data)\"}}");
    }

    @Test
    void api_gateway_may_only_put_records_into_that_one_stream() {
        String role = text(dev.properties("PostLogsMethod").at("/Integration/Credentials"));
        assertThat(role).isEqualTo("{IngestApiRole.Arn}");
        JsonNode properties = dev.properties("IngestApiRole");
        assertThat(properties.at("/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText())
                .isEqualTo("apigateway.amazonaws.com");
        assertThat(properties.at("/AssumeRolePolicyDocument/Statement/0/Condition").isMissingNode())
                .as("no condition on a key AWS does not document API Gateway setting (docs/deploy.md)").isTrue();
        List<JsonNode> statements = new ArrayList<>();
        properties.path("Policies").forEach(p -> statements.addAll(list(p.at("/PolicyDocument/Statement"))));
        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(list(statement.path("Action")).stream().map(JsonNode::asText)).containsExactly("firehose:PutRecord");
            assertThat(list(statement.path("Resource")).stream().map(Template::text)).containsExactly("{IngestStream.Arn}");
        });
    }

    @Test
    void the_request_model_is_the_record_schema_file_and_the_body_is_validated_against_it() throws IOException {
        JsonNode schema = TestingServerless.JSON.readTree(
                Files.readString(TestingServerless.root().resolve("schema/log-record.schema.json")));
        JsonNode model = dev.properties("LogRecordModel");
        assertThat(model.path("ContentType").asText()).isEqualTo("application/json");
        assertThat(model.path("Schema")).isEqualTo(schema);

        JsonNode method = dev.properties("PostLogsMethod");
        assertThat(text(method.at("/RequestModels/application~1json"))).isEqualTo("{LogRecordModel}");
        assertThat(text(method.path("RequestValidatorId"))).isEqualTo("{BodyValidator}");
        assertThat(dev.properties("BodyValidator").path("ValidateRequestBody").asBoolean()).isTrue();
    }

    @Test
    void firehose_answers_map_to_200_and_413_and_5xx() {
        Map<String, JsonNode> responses = new LinkedHashMap<>();
        dev.properties("PostLogsMethod").at("/Integration/IntegrationResponses")
                .forEach(r -> responses.put(r.path("StatusCode").asText(), r));
        assertThat(responses.keySet()).contains("200", "413", "503");
        assertThat(responses.get("200").has("SelectionPattern")).isFalse();
        assertThat(json(responses.get("200").at("/ResponseTemplates/application~1json").asText()))
                .isEqualTo(json("{\"accepted\": true}"));
        assertThat(responses.get("413").path("SelectionPattern").asText()).isEqualTo("4\\d{2}");
        assertThat(responses.get("413").at("/ResponseTemplates/application~1json").asText())
                .contains("ValidationException", "\"status\":413", "responseOverride.status = 502");
        assertThat(responses.get("503").path("SelectionPattern").asText()).isEqualTo("5\\d{2}");
        for (String status : List.of("413", "503")) {
            assertThat(responses.get(status).at("/ResponseParameters/method.response.header.Content-Type").asText())
                    .isEqualTo("'application/problem+json'");
        }
    }

    /** AWS's default status of each gateway response type ("Gateway response types for API Gateway"). */
    private static final Map<String, Integer> DEFAULT_STATUS = Map.ofEntries(
            Map.entry("ACCESS_DENIED", 403), Map.entry("API_CONFIGURATION_ERROR", 500),
            Map.entry("AUTHORIZER_CONFIGURATION_ERROR", 500), Map.entry("AUTHORIZER_FAILURE", 500),
            Map.entry("BAD_REQUEST_PARAMETERS", 400), Map.entry("BAD_REQUEST_BODY", 400),
            Map.entry("EXPIRED_TOKEN", 403), Map.entry("INTEGRATION_FAILURE", 504),
            Map.entry("INTEGRATION_TIMEOUT", 504), Map.entry("INVALID_API_KEY", 403),
            Map.entry("INVALID_SIGNATURE", 403), Map.entry("MISSING_AUTHENTICATION_TOKEN", 403),
            Map.entry("QUOTA_EXCEEDED", 429), Map.entry("REQUEST_TOO_LARGE", 413),
            Map.entry("RESOURCE_NOT_FOUND", 404), Map.entry("THROTTLED", 429), Map.entry("UNAUTHORIZED", 401),
            Map.entry("UNSUPPORTED_MEDIA_TYPE", 415), Map.entry("WAF_FILTERED", 403));

    /** What the context variables of a gateway response can hold, quotes included (messageString comes quoted). */
    static final Map<String, String> NASTY_ERROR_CONTEXT = hostileErrorContext("Invalid request body: \"quoted\"");

    /**
     * Messages that are not ours: AWS documents {@code $context.error.messageString} only as "the quoted value of
     * {@code $context.error.message}", not as JSON-escaped, so it is assumed to be the message between quotes, as is.
     */
    static final List<String> HOSTILE_MESSAGES = List.of("Invalid request body: \"quoted\"", "back\\slash \\",
            "two\nlines\r\n\ttabbed", "non-ASCII: é ü 日本 🙂 \u2028", "\"}, \"status\": 200, \"x\": {\"",
            "control \u0000\u001f", "'single' and $dollar ${x} #if");

    static Map<String, String> hostileErrorContext(String message) {
        return Map.of(
                "error.messageString", "\"" + message + "\"",
                "error.message", message,
                "error.validationErrorString", "[object has missing required properties ([\"message\"])] " + message,
                "error.responseType", "BAD_REQUEST_BODY",
                "requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    }

    @Test
    void every_gateway_response_renders_as_json_whatever_message_api_gateway_holds() {
        Map<String, JsonNode> byType = gatewayResponsesByType();
        assertThat(byType).hasSizeGreaterThanOrEqualTo(13);
        for (String message : HOSTILE_MESSAGES) {
            byType.forEach((type, response) -> {
                String rendered = ApiGatewayTemplates.substitute(
                        response.at("/ResponseTemplates/application~1json").asText(), hostileErrorContext(message));
                JsonNode problem = json(rendered);
                assertThat(Set.of(iterableNames(problem))).as(type + " with " + message)
                        .isEqualTo(Set.of("type", "title", "status", "detail"));
                assertThat(problem.path("detail").asText()).as(type).isNotBlank();
            });
        }
    }

    private Map<String, JsonNode> gatewayResponsesByType() {
        Map<String, JsonNode> byType = new LinkedHashMap<>();
        dev.resourcesOfType("AWS::ApiGateway::GatewayResponse").values()
                .forEach(r -> byType.put(r.at("/Properties/ResponseType").asText(), r.path("Properties")));
        return byType;
    }

    @Test
    void every_header_an_integration_response_maps_is_declared_on_its_method_response() {
        JsonNode method = dev.properties("PostLogsMethod");
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        method.path("MethodResponses").forEach(r -> declared.put(r.path("StatusCode").asText(),
                Set.copyOf(Template.iterable(r.path("ResponseParameters").fieldNames()))));
        Pattern override = Pattern.compile("responseOverride\\.status\\s*=\\s*(\\d{3})");
        int mapped = 0;
        for (JsonNode response : method.at("/Integration/IntegrationResponses")) {
            List<String> statuses = new ArrayList<>(List.of(response.path("StatusCode").asText()));
            Matcher overridden = override.matcher(response.path("ResponseTemplates").toString());
            while (overridden.find()) {
                statuses.add(overridden.group(1));
            }
            for (String parameter : Template.iterable(response.path("ResponseParameters").fieldNames())) {
                for (String status : statuses) {
                    assertThat(declared.get(status)).as("method response " + status + " declares " + parameter)
                            .isNotNull().contains(parameter);
                    mapped++;
                }
            }
        }
        assertThat(mapped).isGreaterThanOrEqualTo(3);
    }

    @Test
    void gateway_errors_are_problem_json_whatever_the_error_variables_hold() {
        Map<String, JsonNode> byType = gatewayResponsesByType();
        assertThat(byType.keySet()).contains("BAD_REQUEST_BODY", "UNSUPPORTED_MEDIA_TYPE", "REQUEST_TOO_LARGE",
                "INVALID_API_KEY", "THROTTLED", "QUOTA_EXCEEDED", "DEFAULT_4XX", "DEFAULT_5XX");
        byType.forEach((type, response) -> {
            assertThat(response.at("/ResponseParameters/gatewayresponse.header.Content-Type").asText()).as(type)
                    .isEqualTo("'application/problem+json'");
            String rendered = ApiGatewayTemplates.substitute(
                    response.at("/ResponseTemplates/application~1json").asText(), NASTY_ERROR_CONTEXT);
            JsonNode problem = json(rendered);
            assertThat(Set.of(iterableNames(problem))).as(type).isEqualTo(Set.of("type", "title", "status", "detail"));
            assertThat(problem.path("status").isInt()).as(type).isTrue();
            assertThat(problem.path("detail").isTextual()).as(type).isTrue();
        });
        assertThat(problem(byType.get("UNSUPPORTED_MEDIA_TYPE")).path("status").asInt()).isEqualTo(415);
        assertThat(problem(byType.get("REQUEST_TOO_LARGE")).path("status").asInt()).isEqualTo(413);
    }

    @Test
    void only_customised_types_change_their_status_and_each_says_its_status_in_the_body() {
        Map<String, JsonNode> byType = gatewayResponsesByType();
        // AWS: changing the status code of DEFAULT_4XX (DEFAULT_5XX) changes that of every other 4XX (5XX) response.
        assertThat(byType.get("DEFAULT_4XX").has("StatusCode")).isFalse();
        assertThat(byType.get("DEFAULT_5XX").has("StatusCode")).isFalse();
        // Every type this API can produce (no authorizer, no IAM signatures, no WAF on the REST API) has its own.
        assertThat(byType.keySet()).contains("BAD_REQUEST_BODY", "UNSUPPORTED_MEDIA_TYPE", "REQUEST_TOO_LARGE",
                "INVALID_API_KEY", "MISSING_AUTHENTICATION_TOKEN", "THROTTLED", "QUOTA_EXCEEDED", "RESOURCE_NOT_FOUND",
                "API_CONFIGURATION_ERROR", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT");
        byType.forEach((type, response) -> {
            if (type.startsWith("DEFAULT_")) {
                return;
            }
            int status = response.has("StatusCode") ? response.path("StatusCode").asInt() : DEFAULT_STATUS.get(type);
            assertThat(problem(response).path("status").asInt()).as(type).isEqualTo(status);
        });
    }

    /** Substitution only (no Velocity), with the context variables API Gateway may fill in. */
    private static JsonNode problem(JsonNode gatewayResponse) {
        return json(ApiGatewayTemplates.substitute(gatewayResponse.at("/ResponseTemplates/application~1json").asText(),
                NASTY_ERROR_CONTEXT));
    }

    private static String[] iterableNames(JsonNode node) {
        return Template.iterable(node.fieldNames()).toArray(String[]::new);
    }

    @Test
    void callers_need_an_api_key_of_a_throttled_usage_plan() {
        JsonNode plan = dev.properties("IngestUsagePlan");
        assertThat(plan.at("/Throttle/RateLimit").asInt()).isEqualTo(50);
        assertThat(plan.at("/Throttle/BurstLimit").asInt()).isEqualTo(100);
        assertThat(text(plan.at("/ApiStages/0/ApiId"))).isEqualTo("{IngestApi}");
        JsonNode key = dev.properties("IngestUsagePlanKey");
        assertThat(text(key.path("KeyId"))).isEqualTo("{IngestApiKey}");
        assertThat(text(key.path("UsagePlanId"))).isEqualTo("{IngestUsagePlan}");

        JsonNode prod = new Template(TestingServerless.template("prod", "--stage", "prod")).properties("IngestUsagePlan");
        assertThat(prod.at("/Throttle/RateLimit").asInt()).isEqualTo(200);
    }

    @Test
    void the_stage_gets_a_new_deployment_exactly_when_the_api_changes() {
        String deployment = text(dev.properties("IngestStage").path("DeploymentId"));
        assertThat(deployment).matches("\\{IngestDeployment[0-9a-f]{12}}");
        String id = deployment.substring(1, deployment.length() - 1);
        assertThat(dev.resource(id).path("Type").asText()).isEqualTo("AWS::ApiGateway::Deployment");
        List<String> dependsOn = list(dev.resource(id).path("DependsOn")).stream().map(JsonNode::asText).toList();
        List<String> apiParts = new ArrayList<>();
        for (String type : List.of("AWS::ApiGateway::Resource", "AWS::ApiGateway::Method", "AWS::ApiGateway::Model",
                "AWS::ApiGateway::RequestValidator", "AWS::ApiGateway::GatewayResponse")) {
            apiParts.addAll(dev.ofType(type));
        }
        assertThat(apiParts).hasSizeGreaterThan(10);
        assertThat(dependsOn).as("the deployment snapshots the API only once every part exists")
                .containsAll(apiParts);

        Template throttled = new Template(TestingServerless.template("throttled", "--stage", "dev", "--param=throttleRate=7"));
        assertThat(text(throttled.properties("IngestStage").path("DeploymentId"))).as("usage plans need no deployment")
                .isEqualTo(deployment);
        Template prod = new Template(TestingServerless.template("prod", "--stage", "prod"));
        assertThat(text(prod.properties("IngestStage").path("DeploymentId"))).isNotEqualTo(deployment);
    }

    // ------------------------------------------------------------------ functions

    @Test
    void both_functions_run_the_one_artifact_with_their_own_handler_name_and_snap_start() {
        Map<String, String> handlers = Map.of("PartitionLambdaFunction", "partition", "SummaryLambdaFunction", "summary");
        Set<String> keys = new java.util.HashSet<>();
        handlers.forEach((function, handler) -> {
            JsonNode properties = dev.properties(function);
            assertThat(properties.path("Runtime").asText()).isEqualTo("java21");
            assertThat(properties.path("Handler").asText())
                    .isEqualTo("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
            assertThat(properties.at("/Environment/Variables/QUARKUS_LAMBDA_HANDLER").asText()).isEqualTo(handler);
            assertThat(properties.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
            assertThat(properties.path("Description").asText()).isNotBlank();
            assertThat(properties.path("MemorySize").asInt()).isBetween(128, 10240);
            assertThat(properties.at("/Code/S3Key").asText()).endsWith("/function.zip");
            keys.add(properties.at("/Code/S3Key").asText());
        });
        assertThat(keys).hasSize(1);
        assertThat(dev.ofType("AWS::Lambda::Alias")).containsExactlyInAnyOrder(
                "PartitionSnapStartLambdaAlias", "SummarySnapStartLambdaAlias");
    }

    @Test
    void new_objects_under_logs_invoke_the_published_partition_function() {
        JsonNode notification = dev.properties("LogsBucket").at("/NotificationConfiguration/LambdaConfigurations/0");
        assertThat(notification.path("Event").asText()).isEqualTo("s3:ObjectCreated:*");
        assertThat(notification.at("/Filter/S3Key/Rules/0/Name").asText()).isEqualTo("prefix");
        assertThat(notification.at("/Filter/S3Key/Rules/0/Value").asText()).isEqualTo("logs/");
        assertThat(text(notification.path("Function"))).isEqualTo("{PartitionSnapStartLambdaAlias}");

        JsonNode permission = dev.properties("PartitionInvokedByS3");
        assertThat(text(permission.path("FunctionName"))).isEqualTo("{PartitionSnapStartLambdaAlias}");
        assertThat(permission.path("Principal").asText()).isEqualTo("s3.amazonaws.com");
        assertThat(text(permission.path("SourceArn"))).startsWith("arn:${AWS::Partition}:s3:::");
        assertThat(text(permission.path("SourceArn"))).endsWith(text(dev.properties("LogsBucket").path("BucketName")));
    }

    @Test
    void partition_failures_land_in_a_queue_that_raises_an_alarm() {
        JsonNode config = dev.properties("PartitionLambdaEvConf");
        assertThat(config.path("Qualifier").asText()).isEqualTo("snapstart");
        assertThat(text(config.at("/DestinationConfig/OnFailure/Destination"))).isEqualTo("{PartitionFailures.Arn}");
        JsonNode alarm = dev.properties("PartitionFailuresAlarm");
        assertThat(text(alarm.at("/Dimensions/0/Value"))).isEqualTo("{PartitionFailures.QueueName}");
        assertThat(alarm.path("Threshold").asInt()).isZero();
        assertThat(list(alarm.path("AlarmActions")).stream().map(Template::text)).containsExactly("{OperatorAlarms}");
        assertThat(dev.resource("OperatorAlarms").path("Type").asText()).isEqualTo("AWS::SNS::Topic");
        assertThat(dev.resource("OperatorAlarmsEmail").path("Condition").asText()).isEqualTo("AlarmEmailGiven");
        assertThat(dev.json().at("/Conditions/AlarmEmailGiven/Fn::Not/0/Fn::Equals/0").asText()).isEmpty();

        Template mailed = new Template(TestingServerless.template("alarm-email", "--stage", "dev",
                "--param=alarmEmail=ops@example.com"));
        assertThat(mailed.json().at("/Conditions/AlarmEmailGiven/Fn::Not/0/Fn::Equals/0").asText())
                .isEqualTo("ops@example.com");
        JsonNode subscription = mailed.properties("OperatorAlarmsEmail");
        assertThat(subscription.path("Protocol").asText()).isEqualTo("email");
        assertThat(subscription.path("Endpoint").asText()).isEqualTo("ops@example.com");
        assertThat(text(subscription.path("TopicArn"))).isEqualTo("{OperatorAlarms}");
    }

    @Test
    void each_function_has_its_own_least_privilege_role() {
        assertThat(text(dev.properties("PartitionLambdaFunction").path("Role"))).isEqualTo("{PartitionRole.Arn}");
        assertThat(text(dev.properties("SummaryLambdaFunction").path("Role"))).isEqualTo("{SummaryRole.Arn}");

        Map<String, List<String>> partition = actionsToResources("PartitionRole");
        assertThat(partition.get("glue:BatchCreatePartition")).anyMatch(r -> r.endsWith(":catalog"))
                .anyMatch(r -> r.contains(":database/quarry_dev")).anyMatch(r -> r.contains(":table/quarry_dev/logs"));
        assertThat(partition.get("glue:GetTable")).hasSize(3);

        Map<String, List<String>> summary = actionsToResources("SummaryRole");
        for (String action : List.of("athena:StartQueryExecution", "athena:GetQueryExecution",
                "athena:GetQueryResults", "athena:StopQueryExecution")) {
            assertThat(summary.get(action)).as(action).containsExactly(
                    "arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/quarry-dev");
        }
        assertThat(summary.get("glue:GetTable")).hasSize(3);
        assertThat(summary.get("glue:GetPartitions")).hasSize(3);
        // Athena's guide, "Configure AWS Glue access to the catalog and database per AWS Region": default as well.
        assertThat(summary.get("glue:GetDatabase")).containsExactlyInAnyOrder(
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:catalog",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/quarry_dev",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/quarry_dev/logs",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/default");
        assertThat(summary.get("s3:GetObject")).containsExactlyInAnyOrder(
                "{LogsBucket.Arn}/logs/*", "{LogsBucket.Arn}/athena-results/*");
        assertThat(summary.get("s3:PutObject")).containsExactly("{LogsBucket.Arn}/athena-results/*");
    }

    private Map<String, List<String>> actionsToResources(String role) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (JsonNode policy : dev.properties(role).path("Policies")) {
            for (JsonNode statement : list(policy.at("/PolicyDocument/Statement"))) {
                for (JsonNode action : list(statement.path("Action"))) {
                    List<String> resources = map.computeIfAbsent(action.asText(), a -> new ArrayList<>());
                    list(statement.path("Resource")).forEach(r -> resources.add(text(r)));
                }
            }
        }
        return map;
    }

    @Test
    void no_iam_statement_allows_everything_or_a_wildcard_action_on_every_resource() {
        List<String> offending = new ArrayList<>();
        List<JsonNode> statements = new ArrayList<>();
        dev.resourcesOfType("AWS::IAM::Role").values().forEach(role -> role.at("/Properties/Policies")
                .forEach(p -> statements.addAll(list(p.at("/PolicyDocument/Statement")))));
        dev.resourcesOfType("AWS::IAM::Policy").values().forEach(
                p -> statements.addAll(list(p.at("/Properties/PolicyDocument/Statement"))));
        dev.resourcesOfType("AWS::IAM::ManagedPolicy").values().forEach(
                p -> statements.addAll(list(p.at("/Properties/PolicyDocument/Statement"))));
        assertThat(statements).hasSizeGreaterThan(10);
        for (JsonNode statement : statements) {
            if (!"Allow".equals(statement.path("Effect").asText())) {
                continue;
            }
            List<String> actions = list(statement.path("Action")).stream().map(JsonNode::asText).toList();
            List<String> resources = list(statement.path("Resource")).stream().map(Template::text).toList();
            boolean wildcardAction = actions.stream().anyMatch(a -> a.equals("*") || a.endsWith(":*"));
            if (actions.contains("*") || wildcardAction || resources.contains("*")) {
                offending.add(statement.toString());
            }
        }
        assertThat(offending).isEmpty();
        assertThat(dev.ofType("AWS::IAM::Role")).doesNotContain("IamRoleLambdaExecution");
    }

    // ------------------------------------------------------------------ CloudFront and the function URL

    @Test
    void the_summary_url_requires_iam_and_points_at_the_published_version() {
        JsonNode url = dev.properties("SummaryLambdaFunctionUrl");
        assertThat(url.path("AuthType").asText()).isEqualTo("AWS_IAM");
        assertThat(text(url.path("TargetFunctionArn"))).isEqualTo("{SummaryLambdaFunction.Arn}:snapstart");
        assertThat(url.has("Cors")).isFalse();
    }

    @Test
    void cloud_front_reaches_the_url_through_origin_access_control() {
        JsonNode oac = dev.properties("SummaryOriginAccessControl").path("OriginAccessControlConfig");
        assertThat(oac.path("OriginAccessControlOriginType").asText()).isEqualTo("lambda");
        assertThat(oac.path("SigningBehavior").asText()).isEqualTo("always");
        assertThat(oac.path("SigningProtocol").asText()).isEqualTo("sigv4");

        JsonNode origin = origin(dev, "summary-function");
        assertThat(text(origin.path("OriginAccessControlId"))).isEqualTo("{SummaryOriginAccessControl.Id}");
        assertThat(origin.path("DomainName").toString()).contains("SummaryLambdaFunctionUrl", "FunctionUrl");
        assertThat(origin.at("/CustomOriginConfig/OriginProtocolPolicy").asText()).isEqualTo("https-only");
    }

    @Test
    void only_this_distribution_may_invoke_the_url_with_both_permissions() {
        Map<String, JsonNode> byAction = new LinkedHashMap<>();
        dev.resourcesOfType("AWS::Lambda::Permission").values().stream()
                .map(p -> p.path("Properties"))
                .filter(p -> p.path("Principal").asText().equals("cloudfront.amazonaws.com"))
                .forEach(p -> byAction.put(p.path("Action").asText(), p));
        assertThat(byAction.keySet()).containsExactlyInAnyOrder("lambda:InvokeFunctionUrl", "lambda:InvokeFunction");
        byAction.values().forEach(permission -> {
            assertThat(text(permission.path("FunctionName"))).isEqualTo("{SummarySnapStartLambdaAlias}");
            assertThat(text(permission.path("SourceArn")))
                    .isEqualTo("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${SummaryDistribution}");
        });
        assertThat(byAction.get("lambda:InvokeFunctionUrl").path("FunctionUrlAuthType").asText()).isEqualTo("AWS_IAM");
        assertThat(byAction.get("lambda:InvokeFunction").path("InvokedViaFunctionUrl").asBoolean())
                .as("CloudFront may invoke the function only through its URL").isTrue();
        assertThat(dev.resourcesOfType("AWS::Lambda::Permission").values())
                .noneMatch(p -> p.at("/Properties/Principal").asText().equals("*"));
    }

    @Test
    void cloud_front_caches_by_summary_parameters_compresses_and_forces_https() {
        JsonNode behavior = summaryBehavior(dev);
        assertThat(behavior.path("TargetOriginId").asText()).isEqualTo("summary-function");
        assertThat(list(behavior.path("AllowedMethods")).stream().map(JsonNode::asText)).containsExactly("GET", "HEAD");
        assertThat(behavior.path("ViewerProtocolPolicy").asText()).isEqualTo("redirect-to-https");
        assertThat(behavior.path("Compress").asBoolean()).isTrue();
        assertThat(text(behavior.path("CachePolicyId"))).isEqualTo("{SummaryCachePolicy}");
        assertThat(text(behavior.path("OriginRequestPolicyId"))).isEqualTo("{SummaryOriginRequestPolicy}");

        JsonNode key = dev.properties("SummaryCachePolicy").at("/CachePolicyConfig/ParametersInCacheKeyAndForwardedToOrigin");
        assertThat(key.at("/QueryStringsConfig/QueryStringBehavior").asText()).isEqualTo("whitelist");
        assertThat(list(key.at("/QueryStringsConfig/QueryStrings")).stream().map(JsonNode::asText))
                .containsExactlyInAnyOrder("from", "to", "source", "logtype", "limit");
        assertThat(key.path("EnableAcceptEncodingGzip").asBoolean()).isTrue();
        assertThat(key.at("/HeadersConfig/HeaderBehavior").asText()).isEqualTo("none");

        JsonNode forwarded = dev.properties("SummaryOriginRequestPolicy").path("OriginRequestPolicyConfig");
        assertThat(forwarded.at("/HeadersConfig/HeaderBehavior").asText()).isEqualTo("none");
        assertThat(forwarded.toString()).doesNotContainIgnoringCase("\"host\"");
    }

    // ------------------------------------------------------------------ the dashboard on CloudFront and S3

    static JsonNode origin(Template template, String id) {
        for (JsonNode origin : template.properties("SummaryDistribution").at("/DistributionConfig/Origins")) {
            if (origin.path("Id").asText().equals(id)) {
                return origin;
            }
        }
        throw new AssertionError("The distribution has no origin " + id);
    }

    static JsonNode summaryBehavior(Template template) {
        return behavior(template, "/summary/*");
    }

    static JsonNode behavior(Template template, String pathPattern) {
        JsonNode behaviors = template.properties("SummaryDistribution").at("/DistributionConfig/CacheBehaviors");
        assertThat(behaviors).as("the distribution's cache behaviours besides the default").hasSize(2);
        for (JsonNode behavior : behaviors) {
            if (behavior.path("PathPattern").asText().equals(pathPattern)) {
                return behavior;
            }
        }
        throw new AssertionError("The distribution has no cache behaviour for " + pathPattern);
    }

    @Test
    void cloud_front_sends_search_to_the_summary_function_keyed_on_the_whole_query_string_behind_reader_keys() {
        JsonNode summary = summaryBehavior(dev);
        JsonNode search = behavior(dev, "/search");
        assertThat(search.path("TargetOriginId").asText()).isEqualTo("summary-function");
        assertThat(list(search.path("AllowedMethods")).stream().map(JsonNode::asText)).containsExactly("GET", "HEAD");
        assertThat(search.path("ViewerProtocolPolicy").asText()).isEqualTo("redirect-to-https");
        assertThat(text(search.path("CachePolicyId"))).isEqualTo("{SearchCachePolicy}");
        assertThat(search.path("OriginRequestPolicyId")).isEqualTo(summary.path("OriginRequestPolicyId"));
        assertThat(search.path("ResponseHeadersPolicyId")).isEqualTo(summary.path("ResponseHeadersPolicyId"));
        assertThat(search.path("FunctionAssociations")).as("the reader-key function, as for summaries")
                .isEqualTo(summary.path("FunctionAssociations"));
        JsonNode key = dev.properties("SearchCachePolicy").at("/CachePolicyConfig/ParametersInCacheKeyAndForwardedToOrigin");
        assertThat(key.at("/QueryStringsConfig/QueryStringBehavior").asText()).isEqualTo("all");
        assertThat(key.at("/HeadersConfig/HeaderBehavior").asText()).isEqualTo("none");
        assertThat(dev.properties("SearchCachePolicy").at("/CachePolicyConfig/DefaultTTL").asInt()).isZero();
    }

    @Test
    void the_web_bucket_is_private_and_only_this_distribution_may_read_its_objects() {
        JsonNode bucket = dev.properties("WebBucket");
        for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(bucket.at("/PublicAccessBlockConfiguration/" + flag).asBoolean()).as(flag).isTrue();
        }
        assertThat(bucket.at("/OwnershipControls/Rules/0/ObjectOwnership").asText()).isEqualTo("BucketOwnerEnforced");
        assertThat(bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                .asText()).isEqualTo("AES256");
        assertThat(bucket.has("WebsiteConfiguration")).as("no S3 website endpoint: CloudFront reads the bucket").isFalse();

        JsonNode policy = dev.properties("WebBucketPolicy");
        assertThat(text(policy.path("Bucket"))).isEqualTo("{WebBucket}");
        List<JsonNode> allows = list(policy.at("/PolicyDocument/Statement")).stream()
                .filter(statement -> statement.path("Effect").asText().equals("Allow")).toList();
        assertThat(allows).singleElement().satisfies(statement -> {
            assertThat(statement.at("/Principal/Service").asText()).isEqualTo("cloudfront.amazonaws.com");
            assertThat(list(statement.path("Action")).stream().map(JsonNode::asText)).containsExactly("s3:GetObject");
            assertThat(list(statement.path("Resource")).stream().map(Template::text)).containsExactly("{WebBucket.Arn}/*");
            assertThat(text(statement.at("/Condition/StringEquals/AWS:SourceArn")))
                    .isEqualTo("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${SummaryDistribution}");
        });
    }

    @Test
    void the_distribution_serves_the_page_from_s3_through_origin_access_control_by_default() {
        JsonNode config = dev.properties("SummaryDistribution").path("DistributionConfig");
        assertThat(config.path("DefaultRootObject").asText()).isEqualTo("index.html");
        JsonNode origin = origin(dev, "web-files");
        assertThat(text(origin.path("DomainName"))).isEqualTo("{WebBucket.RegionalDomainName}");
        assertThat(text(origin.path("OriginAccessControlId"))).isEqualTo("{WebOriginAccessControl.Id}");
        assertThat(origin.at("/S3OriginConfig/OriginAccessIdentity").asText()).as("no legacy OAI").isEmpty();
        JsonNode oac = dev.properties("WebOriginAccessControl").path("OriginAccessControlConfig");
        assertThat(oac.path("OriginAccessControlOriginType").asText()).isEqualTo("s3");
        assertThat(oac.path("SigningBehavior").asText()).isEqualTo("always");
        assertThat(oac.path("SigningProtocol").asText()).isEqualTo("sigv4");

        JsonNode behavior = config.path("DefaultCacheBehavior");
        assertThat(behavior.path("TargetOriginId").asText()).isEqualTo("web-files");
        assertThat(behavior.path("ViewerProtocolPolicy").asText()).isEqualTo("redirect-to-https");
        assertThat(list(behavior.path("AllowedMethods")).stream().map(JsonNode::asText)).containsExactly("GET", "HEAD");
        assertThat(behavior.path("Compress").asBoolean()).isTrue();
        assertThat(text(behavior.path("CachePolicyId"))).isEqualTo("{WebCachePolicy}");
        assertThat(list(behavior.path("FunctionAssociations"))).singleElement().satisfies(association -> {
            assertThat(association.path("EventType").asText()).isEqualTo("viewer-request");
            assertThat(text(association.path("FunctionARN"))).isEqualTo("{StaticFilesFunction.FunctionARN}");
        });
    }

    @Test
    void the_page_is_cached_by_the_objects_own_cache_control_up_to_a_year_with_nothing_from_the_viewer_in_the_key() {
        JsonNode policy = dev.properties("WebCachePolicy").path("CachePolicyConfig");
        assertThat(policy.path("MinTTL").asLong()).isZero();
        assertThat(policy.path("DefaultTTL").asLong()).isLessThanOrEqualTo(60);
        assertThat(policy.path("MaxTTL").asLong()).isEqualTo(31_536_000L);
        JsonNode key = policy.path("ParametersInCacheKeyAndForwardedToOrigin");
        assertThat(key.at("/HeadersConfig/HeaderBehavior").asText()).isEqualTo("none");
        assertThat(key.at("/CookiesConfig/CookieBehavior").asText()).isEqualTo("none");
        assertThat(key.at("/QueryStringsConfig/QueryStringBehavior").asText()).isEqualTo("none");
        assertThat(key.path("EnableAcceptEncodingBrotli").asBoolean()).isTrue();
    }

    @Test
    void the_reader_key_function_runs_before_the_cache_on_summary_requests_only_with_its_key_value_store() {
        JsonNode function = dev.properties("ReaderKeyFunction");
        assertThat(function.path("AutoPublish").asBoolean()).isTrue();
        assertThat(function.at("/FunctionConfig/Runtime").asText()).isEqualTo("cloudfront-js-2.0");
        assertThat(list(function.at("/FunctionConfig/KeyValueStoreAssociations"))).singleElement()
                .satisfies(association -> assertThat(text(association.path("KeyValueStoreARN")))
                        .isEqualTo("{ReaderKeyStore.Arn}"));
        assertThat(dev.resource("ReaderKeyStore").path("Type").asText()).isEqualTo("AWS::CloudFront::KeyValueStore");
        assertThat(dev.properties("ReaderKeyStore").path("Name").asText()).isEqualTo("quarry-dev-us-east-1-reader-keys");

        JsonNode associations = summaryBehavior(dev).path("FunctionAssociations").path("Fn::If");
        assertThat(associations.get(0).asText()).isEqualTo("ReaderKeysRequired");
        assertThat(list(associations.get(1))).singleElement().satisfies(association -> {
            assertThat(association.path("EventType").asText()).isEqualTo("viewer-request");
            assertThat(text(association.path("FunctionARN"))).isEqualTo("{ReaderKeyFunction.FunctionARN}");
        });
        assertThat(text(associations.get(2))).isEqualTo("{AWS::NoValue}");
        assertThat(dev.properties("SummaryDistribution").at("/DistributionConfig/DefaultCacheBehavior").toString())
                .doesNotContain("ReaderKeyFunction");
        assertThat(dev.properties("StaticFilesFunction").at("/FunctionConfig").has("KeyValueStoreAssociations")).isFalse();
    }

    @Test
    void reader_keys_are_required_by_default_and_a_stage_may_turn_them_off() {
        assertThat(dev.json().at("/Conditions/ReaderKeysRequired/Fn::Equals").toString()).isEqualTo("[\"true\",\"true\"]");
        assertThat(new Template(TestingServerless.template("prod", "--stage", "prod")).json()
                .at("/Conditions/ReaderKeysRequired/Fn::Equals/0").asText()).isEqualTo("true");
        Template open = new Template(TestingServerless.template("open", "--stage", "dev", "--param=readerKeys=false"));
        assertThat(open.json().at("/Conditions/ReaderKeysRequired/Fn::Equals/0").asText()).isEqualTo("false");
        assertThat(open.ofType("AWS::CloudFront::KeyValueStore")).as("kept, so keys can be made before they are required")
                .containsExactly("ReaderKeyStore");
    }

    @Test
    void the_authorization_header_is_in_no_cache_key_and_never_forwarded() {
        for (String policy : dev.ofType("AWS::CloudFront::CachePolicy")) {
            JsonNode headers = dev.properties(policy).at("/CachePolicyConfig/ParametersInCacheKeyAndForwardedToOrigin/HeadersConfig");
            assertThat(headers.path("HeaderBehavior").asText()).as(policy).isEqualTo("none");
            assertThat(headers.toString()).as(policy).doesNotContainIgnoringCase("authorization");
        }
        for (String policy : dev.ofType("AWS::CloudFront::OriginRequestPolicy")) {
            assertThat(dev.properties(policy).toString()).as(policy).doesNotContainIgnoringCase("authorization")
                    .doesNotContain("allViewer");
        }
        assertThat(dev.ofType("AWS::CloudFront::CachePolicy")).containsExactlyInAnyOrder("SummaryCachePolicy",
                "SearchCachePolicy", "WebCachePolicy");
    }

    @Test
    void the_security_headers_policy_covers_the_page_and_the_summaries() {
        JsonNode headers = dev.properties("SecurityHeadersPolicy").at("/ResponseHeadersPolicyConfig/SecurityHeadersConfig");
        assertThat(headers.at("/ContentSecurityPolicy/ContentSecurityPolicy").asText()).isEqualTo(
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        assertThat(headers.at("/StrictTransportSecurity/AccessControlMaxAgeSec").asLong()).isGreaterThanOrEqualTo(31_536_000L);
        assertThat(headers.has("ContentTypeOptions")).isTrue();
        assertThat(headers.at("/FrameOptions/FrameOption").asText()).isEqualTo("DENY");
        assertThat(headers.at("/ReferrerPolicy/ReferrerPolicy").asText()).isEqualTo("no-referrer");
        headers.fields().forEachRemaining(header ->
                assertThat(header.getValue().path("Override").asBoolean()).as(header.getKey()).isTrue());

        assertThat(text(dev.properties("SummaryDistribution").at("/DistributionConfig/DefaultCacheBehavior/ResponseHeadersPolicyId")))
                .isEqualTo("{SecurityHeadersPolicy}");
        assertThat(text(summaryBehavior(dev).path("ResponseHeadersPolicyId"))).isEqualTo("{SecurityHeadersPolicy}");
    }

    @Test
    void the_local_server_sends_the_same_content_security_policy() throws IOException {
        String route = Files.readString(TestingServerless.root().resolve("local/src/main/java/dev/quarry/local/http/DashboardRoute.java"));
        String csp = dev.properties("SecurityHeadersPolicy")
                .at("/ResponseHeadersPolicyConfig/SecurityHeadersConfig/ContentSecurityPolicy/ContentSecurityPolicy").asText();
        Matcher constant = Pattern.compile("CONTENT_SECURITY_POLICY = \"([^\"]*)\"\\s*\\+\\s*\"([^\"]*)\";").matcher(route);
        assertThat(constant.find()).as("DashboardRoute.CONTENT_SECURITY_POLICY").isTrue();
        assertThat(constant.group(1) + constant.group(2)).isEqualTo(csp);
    }

    @Test
    void each_cloudfront_function_in_the_template_is_its_tested_file_byte_for_byte() throws IOException {
        Map<String, String> files = Map.of("ReaderKeyFunction", "cloudfront/reader-key.js",
                "StaticFilesFunction", "cloudfront/static-files.js");
        assertThat(dev.ofType("AWS::CloudFront::Function")).containsExactlyInAnyOrderElementsOf(files.keySet());
        for (Map.Entry<String, String> file : files.entrySet()) {
            JsonNode function = dev.properties(file.getKey());
            assertThat(function.path("FunctionCode").asText()).as(file.getValue())
                    .isEqualTo(Files.readString(TestingServerless.root().resolve(file.getValue())));
            assertThat(function.at("/FunctionConfig/Runtime").asText()).isEqualTo("cloudfront-js-2.0");
            assertThat(function.path("AutoPublish").asBoolean()).isTrue();
            assertThat(function.path("Name").asText()).startsWith("quarry-dev-us-east-1-");
        }
    }

    // ------------------------------------------------------------------ Athena, WAF, outputs

    @Test
    void the_workgroup_enforces_encrypted_results_and_a_per_query_scan_cutoff() {
        JsonNode configuration = dev.properties("Workgroup").path("WorkGroupConfiguration");
        assertThat(dev.properties("Workgroup").path("Name").asText()).isEqualTo("quarry-dev");
        assertThat(configuration.path("EnforceWorkGroupConfiguration").asBoolean()).isTrue();
        assertThat(configuration.path("BytesScannedCutoffPerQuery").asLong()).isEqualTo(1_073_741_824L);
        assertThat(configuration.at("/EngineVersion/SelectedEngineVersion").asText()).isEqualTo("Athena engine version 3");
        assertThat(configuration.at("/ResultConfiguration/EncryptionConfiguration/EncryptionOption").asText())
                .isEqualTo("SSE_S3");
        assertThat(text(configuration.at("/ResultConfiguration/OutputLocation"))).isEqualTo("s3://{LogsBucket}/athena-results/");
        assertThat(dev.properties("SummaryLambdaFunction").at("/Environment/Variables/QUARRY_WORKGROUP").asText())
                .isEqualTo("quarry-dev");
        // The summary's caching is capped by the same retention as the lifecycle rule on logs/.
        assertThat(dev.properties("SummaryLambdaFunction").at("/Environment/Variables/QUARRY_RETENTION_DAYS").asText())
                .isEqualTo("30");
        assertThat(dev.properties("PartitionLambdaFunction").at("/Environment/Variables").has("QUARRY_WORKGROUP")).isFalse();
    }

    @Test
    void the_waf_is_off_by_default_and_on_in_prod() {
        assertThat(dev.resource("SummaryWebAcl").path("Condition").asText()).isEqualTo("WafEnabled");
        assertThat(dev.properties("SummaryWebAcl").at("/Rules/0/Statement/RateBasedStatement/AggregateKeyType").asText())
                .isEqualTo("IP");
        assertThat(dev.json().at("/Conditions/WafEnabled/Fn::And/0/Fn::Equals/0").asText()).isEqualTo("false");
        Template prod = new Template(TestingServerless.template("prod", "--stage", "prod"));
        assertThat(prod.json().at("/Conditions/WafEnabled/Fn::And/0/Fn::Equals/0").asText()).isEqualTo("true");
        assertThat(prod.json().at("/Conditions/WafEnabled/Fn::And/1/Fn::Equals/0").asText()).as("no webAclArn")
                .isEmpty();
        assertThat(dev.properties("SummaryDistribution").at("/DistributionConfig/WebACLId/Fn::If/2/Fn::If/0").asText())
                .isEqualTo("WafEnabled");
    }

    @Test
    void the_stack_outputs_the_ingest_url_the_summary_url_the_api_key_and_the_bucket() {
        JsonNode outputs = dev.json().path("Outputs");
        assertThat(text(outputs.at("/IngestUrl/Value"))).endsWith("/dev/logs").contains("${IngestApi}.execute-api");
        assertThat(text(outputs.at("/SummaryUrl/Value"))).contains("${SummaryDistribution.DomainName}");
        assertThat(text(outputs.at("/DashboardUrl/Value"))).isEqualTo("https://${SummaryDistribution.DomainName}/");
        assertThat(text(outputs.at("/DistributionId/Value"))).isEqualTo("{SummaryDistribution}");
        assertThat(text(outputs.at("/WebBucketName/Value"))).isEqualTo("{WebBucket}");
        assertThat(text(outputs.at("/ReaderKeyStoreArn/Value"))).isEqualTo("{ReaderKeyStore.Arn}");
        assertThat(text(outputs.at("/ApiKeyId/Value"))).isEqualTo("{IngestApiKey}");
        assertThat(text(outputs.at("/LogsBucketName/Value"))).isEqualTo("{LogsBucket}");
    }

    @Test
    void the_native_variant_runs_on_provided_al_2023_without_snap_start() {
        Template nativeTemplate = new Template(TestingServerless.template("native", "--stage", "dev", "--param=runtime=native"));
        for (String function : List.of("PartitionLambdaFunction", "SummaryLambdaFunction")) {
            JsonNode properties = nativeTemplate.properties(function);
            assertThat(properties.path("Runtime").asText()).isEqualTo("provided.al2023");
            assertThat(properties.has("SnapStart")).isFalse();
        }
        assertThat(nativeTemplate.ofType("AWS::Lambda::Alias")).isEmpty();
        assertThat(text(nativeTemplate.properties("LogsBucket").at("/NotificationConfiguration/LambdaConfigurations/0/Function")))
                .isEqualTo("{PartitionLambdaFunction.Arn}");
    }

    static JsonNode json(String text) {
        try {
            return TestingServerless.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + text, e);
        }
    }
}
