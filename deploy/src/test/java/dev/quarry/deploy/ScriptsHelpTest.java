package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every script under scripts/ answers {@code --help} and {@code -h} with what it does, its options and an example,
 * and touches nothing: every tool a script could start (Java and so Maven, the AWS CLI, npx, curl, Docker) is a
 * fake first on PATH that records being called.
 */
class ScriptsHelpTest {
    private static final List<String> TOOLS = List.of("java", "aws", "npx", "npm", "curl", "docker", "podman", "jq",
            "mvn", "unzip", "zip", "sqlline");

    static Stream<String> scripts() throws IOException {
        try (Stream<Path> files = Files.list(TestingServerless.root().resolve("scripts"))) {
            return files.filter(Files::isRegularFile).map(file -> "scripts/" + file.getFileName()).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void each_script_answers_help_and_h_with_its_usage_and_an_example_running_nothing(String script, @TempDir Path bin)
            throws Exception {
        Path calls = bin.resolve("calls.txt");
        for (String tool : TOOLS) {
            Path fake = bin.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + calls + "'\nexit 97\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String node = TestingScripts.nodeDirectory().toString();

        for (String flag : List.of("--help", "-h")) {
            TestingScripts.Output run = TestingScripts.run(bin, List.of(node), false, script, flag);

            assertThat(run.status()).as("%s %s: %s", script, flag, run.stderr()).isZero();
            assertThat(run.stdout()).as("%s %s", script, flag).contains(script).contains("Example:");
            assertThat(run.stdout().lines().count()).as("%s %s", script, flag).isGreaterThanOrEqualTo(3);
            assertThat(run.stderr()).as("%s %s", script, flag).isEmpty();
            assertThat(calls).as("%s %s started a tool", script, flag).doesNotExist();
        }
    }
}
