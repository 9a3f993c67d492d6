package dev.quarry.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The java21 managed runtime, as far as a function's start depends on it: {@code function.zip} unzipped into a task
 * root that is the working directory, the runtime's JVM options, its environment, and AWS's runtime interface client
 * ({@code AWSLambda}) polling a Runtime API ({@link TestingRuntimeApi}). Used by the lambda module's
 * {@code FunctionZipIT} and by {@code scripts/bench}.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html">Lambda's defined runtime
 *      environment variables</a>
 */
public final class TestingLambdaRuntime {
    /** The handler a Quarkus function is configured with. */
    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    /** The runtime interface client and its libraries: what the java21 runtime puts on the class path itself. */
    private static final List<String> RUNTIME_ARTIFACTS = List.of("aws-lambda-java-runtime-interface-client",
            "aws-lambda-java-serialization", "aws-lambda-java-core", "utils-lite");

    private TestingLambdaRuntime() {
    }

    /** Unzips {@code zip} into {@code taskRoot}; refuses an entry that would land outside it. */
    public static Path unzip(Path zip, Path taskRoot) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                Path target = taskRoot.resolve(entry.getName()).normalize();
                if (!target.startsWith(taskRoot)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return taskRoot;
    }

    /** Deletes a task root (or any tree); nothing happens when it is null. */
    public static void delete(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /**
     * The runtime's own class path entries picked from a class path ({@code java.class.path} in a test), or the
     * empty string when any of the four is missing.
     */
    public static String runtimeClasspath(String classPath) {
        List<String> runtime = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> RUNTIME_ARTIFACTS.stream().anyMatch(entry::contains)).toList();
        return runtime.size() == RUNTIME_ARTIFACTS.size() ? String.join(File.pathSeparator, runtime) : "";
    }

    /**
     * The function's process as the java21 runtime starts it (serial GC, C1 only, heap from the memory size, 512 MB
     * here), its output to {@code output}, with the runtime's environment for a function named
     * {@code quarry-<handlerName>} and nothing of this process's AWS, Quarkus, Quarry or Java settings. The caller
     * adds the endpoint and anything else to {@link ProcessBuilder#environment()}.
     *
     * @param handlerName {@code QUARKUS_LAMBDA_HANDLER}, or null for none
     */
    public static ProcessBuilder java21(Path taskRoot, String runtimeClasspath, TestingRuntimeApi runtimeApi,
            String handlerName, Path output) {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:MaxHeapSize=445645k", "-Djava.net.preferIPv4Stack=true", "-classpath", runtimeClasspath,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER)
                .directory(taskRoot.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("QUARKUS_")
                || name.startsWith("QUARRY_") || name.startsWith("JAVA_") || name.startsWith("_JAVA"));
        environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
        if (handlerName != null) {
            environment.put("QUARKUS_LAMBDA_HANDLER", handlerName);
        }
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "AKIDLAMBDAIT");
        environment.put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
        environment.put("AWS_LAMBDA_FUNCTION_NAME", "quarry-" + handlerName);
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/quarry-" + handlerName);
        environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/26/[1]0123456789abcdef0123456789abcdef");
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        environment.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        environment.put("_HANDLER", HANDLER);
        environment.put("TZ", ":UTC");
        return builder;
    }

    /** SIGTERM, then SIGKILL if the process has not ended within 10 s. */
    public static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
