package dev.quarry.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Trino 476 (the engine Athena engine v3 is built on): the server tarball from Maven Central (the pom copies
 * {@code io.trino:trino-server:476:tar.gz} from the Maven repository, where the first build downloads it), unpacked
 * once under {@code target/}, started on the Temurin 25 JDK with one Hive catalog whose file metastore and data
 * live on the local file system. Statements go over Trino's client protocol ({@code POST /v1/statement}, then
 * {@code nextUri}), as the CLI and JDBC driver send them.
 */
final class TestingTrino implements AutoCloseable {
    static final String VERSION = "476";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4); // two shared cores: it takes 20-60 s

    private final Process process;
    private final Path log;
    private final URI uri;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestingTrino(Process process, Path log, URI uri) {
        this.process = process;
        this.log = log;
        this.uri = uri;
    }

    /** Starts Trino with the catalog {@code hive} over {@code dataRoot} ({@code local:///} is that directory). */
    static TestingTrino start(Path work, Path dataRoot) throws IOException, InterruptedException {
        Path java = java25();
        Path server = unpackedServer();
        int port = freePort();
        Path etc = Files.createDirectories(work.resolve("etc"));
        Path catalogs = Files.createDirectories(etc.resolve("catalog"));
        // Only the Hive plugin is loaded: the other 60 would double the start time.
        Path plugins = Files.createDirectories(server.resolveSibling("trino-plugins"));
        if (!Files.exists(plugins.resolve("hive"), LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(plugins.resolve("hive"), server.resolve("plugin/hive"));
        }
        Files.writeString(etc.resolve("config.properties"), String.join("\n",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                // One node on two shared cores: a heartbeat missed under load must not take the only node out of
                // scheduling ("No nodes available to run query" in one CI run, minutes after the start).
                "failure-detector.enabled=false",
                "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port,
                "node.environment=test",
                "plugin.dir=" + plugins,
                "catalog.config-dir=" + catalogs,
                "query.max-memory=512MB",
                "query.max-memory-per-node=512MB",
                ""));
        Files.createDirectories(dataRoot.resolve("metastore"));
        Files.writeString(catalogs.resolve("hive.properties"), String.join("\n",
                "connector.name=hive",
                "hive.metastore=file",
                "hive.metastore.catalog.dir=local:///metastore",
                "fs.native-local.enabled=true",
                "local.location=" + dataRoot,
                // So the table carries the Glue table's partition projection, as Athena reads it.
                "hive.partition-projection-enabled=true",
                // A projected day without files is no rows, as on Athena, not "Partition location does not exist".
                "hive.ignore-absent-partitions=true",
                ""));
        Path log = work.resolve("trino.log");
        Process process = new ProcessBuilder(java.toString(), "-Xmx1G", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.attach.allowAttachSelf=true", "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dconfig=" + etc.resolve("config.properties"),
                "-cp", server.resolve("lib") + "/*", "io.trino.server.TrinoServer")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestingTrino trino = new TestingTrino(process, log, URI.create("http://127.0.0.1:" + port));
        trino.awaitStarted();
        return trino;
    }

    private void awaitStarted() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Trino exited with " + process.exitValue() + " while starting:\n"
                        + tail());
            }
            try {
                HttpResponse<String> info = http.send(HttpRequest.newBuilder(uri.resolve("/v1/info")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (info.statusCode() == 200 && !JSON.readTree(info.body()).path("starting").asBoolean(true)
                        && schedules()) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the port opens part-way through the start
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("Trino did not start within " + START_TIMEOUT + ":\n" + tail());
    }

    /**
     * Whether a statement can be scheduled yet: {@code /v1/info} says the server has started some moments before
     * the node has announced itself, and a statement in between fails with "No nodes available to run query".
     */
    private boolean schedules() throws IOException, InterruptedException {
        try {
            queryOnce("SELECT 1");
            return true;
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("No nodes available")) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Runs one statement; its rows, each a list of JSON values as Trino's protocol gives them. A statement refused
     * with "No nodes available" (the one node's announcement lapsed while the machine was loaded) is sent again for
     * up to a minute: the statements are reads, and the refusal comes before any row.
     */
    List<List<JsonNode>> query(String sql) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            try {
                return queryOnce(sql);
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("No nodes available") || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private List<List<JsonNode>> queryOnce(String sql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri.resolve("/v1/statement"))
                .header("X-Trino-User", "quarry").header("X-Trino-Time-Zone", "UTC")
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
        List<List<JsonNode>> rows = new ArrayList<>();
        while (true) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Trino answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode page = JSON.readTree(response.body());
            if (page.has("error")) {
                throw new IllegalStateException("Trino refused\n" + sql + "\n" + page.at("/error/message").asText());
            }
            for (JsonNode row : page.path("data")) {
                List<JsonNode> values = new ArrayList<>();
                row.forEach(values::add);
                rows.add(values);
            }
            if (!page.hasNonNull("nextUri")) {
                return rows;
            }
            request = HttpRequest.newBuilder(URI.create(page.get("nextUri").asText()))
                    .header("X-Trino-User", "quarry").build();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Trino 476 runs on Java 24 or newer; this machine has Temurin 25 beside the default Java 17. */
    static Path java25() {
        String configured = System.getenv("TRINO_JAVA_HOME");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> list = Files.list(jvms)) {
                list.filter(p -> p.getFileName().toString().matches(".*-2[5-9]-.*|.*-2[5-9]")).sorted()
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot list " + jvms + ", because " + e, e);
            }
        }
        for (Path home : candidates) {
            if (Files.isExecutable(home.resolve("bin/java"))) {
                return home.resolve("bin/java");
            }
        }
        throw new IllegalStateException("Cannot start Trino " + VERSION + ", because it needs Java 25 and none was"
                + " found (TRINO_JAVA_HOME unset, no /usr/lib/jvm/*-25-*): install temurin-25-jdk (.ci/run does) or"
                + " set TRINO_JAVA_HOME");
    }

    /** The server unpacked once under target/ (tar: the tarball holds hard links between plugins). */
    private static Path unpackedServer() throws IOException, InterruptedException {
        String archiveProperty = System.getProperty("quarry.trino.server.archive");
        Path archive = archiveProperty == null ? null : Path.of(archiveProperty);
        if (archive == null || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("Cannot start Trino " + VERSION + ", because io.trino:trino-server:"
                    + VERSION + ":tar.gz is missing (" + archive + "); the local module's pom copies it from the"
                    + " Maven repository in pre-integration-test: run through ./mvnw verify");
        }
        Path directory = archive.getParent().resolve("trino-server-" + VERSION);
        Path marker = directory.resolve(".unpacked");
        if (Files.exists(marker)) {
            return directory;
        }
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", archive.getParent().toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("Cannot unpack " + archive + ": " + output);
        }
        Files.createFile(marker);
        return directory;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
