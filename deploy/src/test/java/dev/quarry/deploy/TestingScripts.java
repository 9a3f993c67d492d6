package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the repository's shell scripts with a directory of fakes (an {@code aws} that records its calls) first
 * on PATH, then only the given directories and the system's own: a real {@code aws} elsewhere on PATH never answers.
 */
final class TestingScripts {
    /** What a run printed and how it ended; {@code stderr} is empty when it was merged into {@code stdout}. */
    record Output(int status, String stdout, String stderr) {
    }

    private TestingScripts() {
    }

    static Output run(Path fakes, List<String> morePath, boolean mergeStderr, String script, String... arguments)
            throws IOException, InterruptedException {
        Path file = TestingServerless.root().resolve(script);
        String interpreter = Files.readAllLines(file).get(0).endsWith("node") ? "node" : "bash";
        List<String> command = new ArrayList<>(List.of(interpreter, script));
        command.addAll(List.of(arguments));
        Path stderr = Files.createTempFile(fakes, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(TestingServerless.root().toFile());
        if (mergeStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(stderr.toFile());
        }
        List<String> path = new ArrayList<>(List.of(fakes.toString()));
        path.addAll(morePath);
        path.addAll(List.of("/usr/bin", "/bin"));
        builder.environment().put("PATH", String.join(":", path));
        // ./mvnw would run $JAVA_HOME/bin/java, not a fake on PATH
        builder.environment().remove("JAVA_HOME");
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(script + " ends").isTrue();
        String errors = Files.readString(stderr);
        Files.delete(stderr);
        return new Output(process.exitValue(), stdout, errors);
    }

    /** The directory of the {@code node} on this process's PATH (scripts/build-web needs it). */
    static Path nodeDirectory() {
        for (String directory : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(directory, "node"))) {
                return Path.of(directory);
            }
        }
        throw new AssertionError("node is not on PATH (scripts/build-web needs it)");
    }
}
