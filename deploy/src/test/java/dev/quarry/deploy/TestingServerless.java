package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code npx serverless package} in the repository root, as a developer without an AWS account would:
 * no AWS credentials, profile or region in the environment. Each variant is packaged once per JVM.
 */
final class TestingServerless {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TEMPLATE = "cloudformation-template-update-stack.json";
    private static final Map<List<String>, JsonNode> PACKAGED = new ConcurrentHashMap<>();

    private TestingServerless() {
    }

    static Path root() {
        return Path.of(System.getProperty("quarry.root", "..")).toAbsolutePath().normalize();
    }

    /** {@code npx serverless package --stage dev} into {@code .serverless/}, the template it writes. */
    static JsonNode devTemplate() {
        return PACKAGED.computeIfAbsent(List.of("--stage", "dev"),
                arguments -> packageInto(root().resolve(".serverless"), arguments));
    }

    /** Another variant, packaged into {@code deploy/target/serverless-<name>/}. */
    static JsonNode template(String name, String... arguments) {
        List<String> key = new ArrayList<>(List.of(arguments));
        key.add(0, name);
        return PACKAGED.computeIfAbsent(key, k -> {
            Path directory = root().resolve("deploy/target/serverless-" + name);
            List<String> all = new ArrayList<>(List.of(arguments));
            all.add("--package");
            all.add(directory.toString());
            return packageInto(directory, all);
        });
    }

    private static JsonNode packageInto(Path directory, List<String> arguments) {
        Path root = root();
        if (!Files.isRegularFile(root.resolve("lambda/target/function.zip"))) {
            throw new IllegalStateException("Cannot package the stack, because lambda/target/function.zip is missing"
                    + " (build the lambda module first)");
        }
        if (!Files.isDirectory(root.resolve("node_modules/serverless"))) {
            throw new IllegalStateException("Cannot package the stack, because node_modules is missing (run npm ci)");
        }
        List<String> command = new ArrayList<>(List.of("npx", "--no-install", "serverless", "package"));
        command.addAll(arguments);
        Path log = root.resolve("deploy/target/serverless-package-" + Integer.toHexString(arguments.hashCode()) + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            // Offline and without an account: no credentials, profile, region or endpoint may leak in.
            environment.keySet().removeIf(name -> name.startsWith("AWS_"));
            environment.put("AWS_SDK_LOAD_CONFIG", "0");
            environment.put("AWS_CONFIG_FILE", "/dev/null");
            environment.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
            environment.put("SLS_TELEMETRY_DISABLED", "1");
            environment.put("SLS_NOTIFICATIONS_MODE", "off");
            environment.put("SLS_INTERACTIVE_SETUP_DISABLE", "1");
            environment.put("CI", "1");
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("Cannot package the stack, because `" + String.join(" ", command)
                        + "` ran over 3 minutes; see " + log);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Cannot package the stack, because `" + String.join(" ", command)
                        + "` exited with " + process.exitValue() + ":\n" + output);
            }
            return JSON.readTree(directory.resolve(TEMPLATE).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot package the stack, because " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while packaging the stack", e);
        }
    }
}
