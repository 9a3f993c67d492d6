package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged local pipeline, started the way a user starts it ({@code scripts/run-local}) as a child process
 * on a free loopback port, for end-to-end tests. Its console output goes to {@code server.log} in the data dir.
 */
final class TestingLocalServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dataDir;
    private final Map<String, String> environment;
    private final int port;
    private Process process;

    private TestingLocalServer(Path dataDir, Map<String, String> environment, int port) {
        this.dataDir = dataDir;
        this.environment = environment;
        this.port = port;
    }

    static TestingLocalServer start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    static TestingLocalServer start(Path dataDir, Map<String, String> environment) throws Exception {
        TestingLocalServer server = new TestingLocalServer(dataDir, environment, freePort());
        server.launch();
        return server;
    }

    /** A process that is expected to end by itself (a refused start): its exit status and its console output. */
    record Exited(int status, String log) {
    }

    /** Starts the server on {@code port} and waits (at most 60 s) for it to exit by itself. */
    static Exited runUntilExit(Path dataDir, Path logFile, int port, Map<String, String> environment)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", repository().resolve("scripts/run-local").toString());
        builder.directory(logFile.getParent().toFile());
        builder.environment().put("QUARRY_DATA_DIR", dataDir.toString());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(logFile.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The server did not exit within 60 s:\n" + Files.readString(logFile));
        }
        return new Exited(process.exitValue(), Files.readString(logFile));
    }

    /**
     * Starts the server expecting it to refuse: it exits non-zero with exactly one ERROR line, no stack trace, and
     * without having bound its port.
     */
    static Exited refusedStart(Path dataDir, Path logFile, Map<String, String> environment) throws Exception {
        Exited exited = runUntilExit(dataDir, logFile, freePort(), environment);
        assertThat(exited.status()).as(exited.log()).isNotZero();
        assertThat(exited.log()).doesNotContain("\tat ").doesNotContain("Listening on");
        assertThat(exited.log().lines().filter(line -> line.contains("ERROR"))).as(exited.log()).hasSize(1);
        return exited;
    }

    static int freeLoopbackPort() throws IOException {
        return freePort();
    }

    /** The server's process ID (run-local execs java, so it is the JVM's). */
    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    static Path repository() {
        return Path.of(System.getProperty("quarry.repo.dir", "..")).toAbsolutePath().normalize();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the process and waits until {@code /q/health/ready} answers 200. */
    void launch() throws Exception {
        Files.createDirectories(dataDir);
        ProcessBuilder builder = new ProcessBuilder("bash", repository().resolve("scripts/run-local").toString());
        builder.directory(dataDir.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARRY_DATA_DIR", dataDir.toString());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The local pipeline exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("The local pipeline was not ready within 60 s:\n" + log());
    }

    String log() throws IOException {
        Path log = dataDir.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postLogs(String json) throws IOException, InterruptedException {
        return postLogs(json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    }

    HttpResponse<String> postLogs(byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/logs")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The local pipeline did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    Path dataDir() {
        return dataDir;
    }

    static Map<String, String> env(String... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
