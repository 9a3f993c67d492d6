package dev.quarry.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/deploy's account checks (issue 15, finding 10), run with {@code --check-only} against a fake {@code aws}
 * on PATH that answers {@code apigateway get-account} as the test says and records how it was called.
 */
class DeployScriptChecksTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/apigateway-cloudwatch-logs";

    @TempDir
    Path bin;

    private record Run(int status, String output, String awsCalls) {
    }

    @Test
    void a_new_account_without_the_logging_role_is_ready_for_a_plain_deploy() throws Exception {
        Run run = deploy("None", "--stage", "dev");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("stage dev in us-east-1: the account is ready (execution logging: OFF");
        assertThat(run.awsCalls()).as("execution logging is off: the role is not needed").isEmpty();
    }

    @Test
    void an_account_with_the_logging_role_is_ready_for_execution_logging() throws Exception {
        Run run = deploy(ROLE, "--stage", "dev", "--param=apiLogging=ERROR");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("stage dev in us-east-1: the account is ready (execution logging: ERROR");
        assertThat(run.awsCalls()).contains("apigateway get-account --region us-east-1 --query cloudwatchRoleArn");
    }

    @Test
    void without_the_logging_role_the_script_stops_and_prints_the_commands_that_set_it() throws Exception {
        Run run = deploy("None", "--stage", "dev", "--region", "eu-west-1", "--param", "apiLogging=INFO");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("API Gateway in eu-west-1 has no CloudWatch Logs role")
                .contains("AmazonAPIGatewayPushToCloudWatchLogs")
                .contains("aws apigateway update-account --region eu-west-1 --patch-operations")
                .contains("op=replace,path=/cloudwatchRoleArn,value=");
        assertThat(run.awsCalls()).contains("--region eu-west-1");
    }

    @Test
    void prod_outside_us_east_1_fails_on_the_waf_unless_the_waf_is_off() throws Exception {
        Run prod = deploy(ROLE, "--stage", "prod", "--region=eu-west-1");
        assertThat(prod.status()).isEqualTo(1);
        assertThat(prod.output()).contains("can only be created in us-east-1").contains("eu-west-1")
                .contains("--param=waf=false");

        assertThat(deploy(ROLE, "--stage", "prod", "--region", "eu-west-1", "--param=waf=false").status()).isZero();
        assertThat(deploy(ROLE, "--stage", "prod", "--region", "eu-west-1",
                "--param=webAclArn=arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/0f1e").status()).isZero();
        assertThat(deploy(ROLE, "--stage", "prod").status()).isZero();
        assertThat(deploy(ROLE, "--stage", "dev", "--region", "eu-west-1", "--param", "waf=true").status()).isEqualTo(1);
    }

    @Test
    void both_problems_are_reported_at_once() throws Exception {
        Run run = deploy("None", "--stage", "prod", "--region", "eu-central-1", "--param=apiLogging=ERROR");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("can only be created in us-east-1").contains("no CloudWatch Logs role");
    }

    @Test
    void without_the_aws_cli_the_script_says_so() throws Exception {
        Run run = deploy(null, "--stage", "dev", "--param=apiLogging=ERROR");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("the AWS CLI (aws) is needed").contains("--skip-checks");
    }

    private Run deploy(String cloudwatchRoleArn, String... arguments) throws IOException, InterruptedException {
        Path calls = bin.resolve("aws-calls");
        Files.deleteIfExists(calls);
        Path aws = bin.resolve("aws");
        Files.deleteIfExists(aws);
        if (cloudwatchRoleArn != null) {
            Files.writeString(aws, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\necho '" + cloudwatchRoleArn + "'\n");
            Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(List.of("--check-only"));
        command.addAll(List.of(arguments));
        TestingScripts.Output run = TestingScripts.run(bin, List.of(), true, "scripts/deploy",
                command.toArray(String[]::new));
        return new Run(run.status(), run.stdout(), Files.exists(calls) ? Files.readString(calls) : "");
    }
}
