package dev.quarry.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the AWS Control Tower proactive controls (cfn-guard rules from @cdklabs/cdk-validator-cfnguard) of every
 * service the stack uses over the packaged template. A control the template fails must be listed, with its
 * reason, in the docs/security.md "controls not met" table; a control listed there must really fail (else the table
 * lies and the row goes).
 */
class ControlTowerGuardIT {

    /**
     * Rule directories of the services in the stack (kinesis covers Kinesis; Firehose and SNS have no control;
     * cloudwatch covers the alarm and the log groups, waf the web ACL).
     */
    private static final List<String> SERVICES = List.of("s3", "apigateway", "lambda", "cloudfront", "athena", "glue",
            "kinesis", "identityandaccessmanagement", "cloudwatch", "sqs", "waf");
    private static final Pattern RULE_FILE = Pattern.compile("ct-([a-z0-9]+)-pr-(\\d+)\\.guard");
    private static final Pattern README_ROW = Pattern.compile("^\\|\\s*`?(CT\\.[A-Z0-9]+\\.PR\\.\\d+)`?\\s*\\|(.*)\\|\\s*$");
    private static final int NON_COMPLIANT = 19; // cfn-guard's exit status when a rule fails

    @Test
    void every_violated_control_is_listed_in_the_readme_and_every_listed_one_is_violated() throws Exception {
        Path root = TestingServerless.root();
        // The template as packaged, written out again: .serverless/ is emptied by any later `serverless package`
        // of another variant in this JVM (SecondDeployIT's, ProviderSchemasIT's), whatever its --package.
        Path template = Files.createDirectories(root.resolve("deploy/target/control-tower"))
                .resolve(TestingServerless.TEMPLATE);
        Files.writeString(template, TestingServerless.devTemplate().toPrettyString());
        Path rules = root.resolve("node_modules/@cdklabs/cdk-validator-cfnguard/rules/control-tower/cfn-guard");

        TreeSet<String> evaluated = new TreeSet<>();
        TreeMap<String, String> violated = new TreeMap<>();
        for (String service : SERVICES) {
            try (Stream<Path> files = Files.list(rules.resolve(service))) {
                for (Path rule : files.sorted().toList()) {
                    Matcher name = RULE_FILE.matcher(rule.getFileName().toString());
                    if (!name.matches()) {
                        continue;
                    }
                    String control = "CT." + name.group(1).toUpperCase(Locale.ROOT) + ".PR." + name.group(2);
                    evaluated.add(control);
                    GuardResult result = guard(rule, template);
                    assertThat(result.status()).as(control + ": " + result.output()).isIn(0, NON_COMPLIANT);
                    if (result.status() == NON_COMPLIANT) {
                        violated.put(control, result.output());
                    }
                }
            }
        }
        assertThat(evaluated).as("controls evaluated").hasSizeGreaterThan(30);

        Map<String, String> documented = controlsNotMet(root.resolve("docs/security.md"));
        assertThat(documented.values()).as("every row gives a reason").allSatisfy(r -> assertThat(r).isNotBlank());
        assertThat(violated.keySet()).as("violated controls missing from the security page's table; details: %s",
                violated).isSubsetOf(documented.keySet());
        assertThat(documented.keySet()).as("controls in the security page's table that the template meets")
                .isSubsetOf(violated.keySet());
    }

    static Map<String, String> controlsNotMet(Path readme) throws IOException {
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            Matcher row = README_ROW.matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), row.group(2).trim());
            }
        }
        return rows;
    }

    private record GuardResult(int status, String output) {
    }

    private static GuardResult guard(Path rule, Path template) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary().toString(), "validate", "--rules", rule.toString(),
                "--data", template.toString(), "--show-summary", "fail").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String brief = output.lines().filter(l -> l.contains("FAIL") || l.contains("Error") || l.contains("[FIX]"))
                .limit(12).reduce("", (a, b) -> a + "\n" + b.strip());
        return new GuardResult(process.exitValue(), brief);
    }

    private static Path binary() {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "aarch64" : "x86_64";
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "macos" : "ubuntu";
        Path binary = TestingServerless.root()
                .resolve("node_modules/@cdklabs/cdk-validator-cfnguard/bin/" + os + "/" + arch + "/cfn-guard");
        assertThat(binary).as("cfn-guard from npm ci").isExecutable();
        return binary;
    }
}
