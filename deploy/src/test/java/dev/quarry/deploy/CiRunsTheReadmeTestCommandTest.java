package dev.quarry.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** .ci/run runs exactly the test command the README gives. */
class CiRunsTheReadmeTestCommandTest {

    private static final String COMMAND = "npm ci && ./mvnw -B -ntp verify";

    @Test
    void the_readmes_test_command_is_the_last_line_of_ci_run() throws IOException {
        Path root = TestingServerless.root();
        List<String> ci = Files.readAllLines(root.resolve(".ci/run")).stream().filter(l -> !l.isBlank()).toList();
        assertThat(ci.get(ci.size() - 1)).isEqualTo(COMMAND);
        assertThat(Files.readString(root.resolve("README.md")))
                .contains("\n" + COMMAND + " ")
                .contains("`.ci/run` runs exactly the second command");
    }
}
