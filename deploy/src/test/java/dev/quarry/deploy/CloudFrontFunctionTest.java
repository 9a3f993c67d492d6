package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CloudFront Functions' own tests ({@code cloudfront/*.test.mjs}: reader-key.js and static-files.js) under
 * Node's built-in test runner, so that {@code ./mvnw verify} runs them; their TAP output is shown only when they fail.
 */
class CloudFrontFunctionTest {

    @Test
    void the_reader_key_function_passes_its_node_tests() throws Exception {
        Path root = TestingServerless.root();
        Process node = new ProcessBuilder("node", "--test", "cloudfront/")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains("# pass 7").contains("# fail 0");
    }
}
