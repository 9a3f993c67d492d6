package dev.quarry.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/build-web, what scripts/deploy uploads: every asset under the first 16 hex digits of its SHA-256, index.html
 * referring to exactly those names, and every name one that cloudfront/static-files.js lets through.
 */
class WebBuildTest {

    private static final Map<String, String> SOURCES = Map.of(
            "favicon.svg", "web/favicon.svg",
            "dashboard.css", "web/dashboard.css",
            "dashboard.js", "web/dashboard.js",
            "logs.js", "web/logs.js",
            "vendor/uPlot.min.css", "node_modules/uplot/dist/uPlot.min.css",
            "vendor/uPlot.iife.min.js", "node_modules/uplot/dist/uPlot.iife.min.js");

    @TempDir
    Path out;

    @Test
    void every_asset_is_named_after_its_content_and_index_html_refers_to_those_names() throws Exception {
        build();
        Path root = TestingServerless.root();
        String index = Files.readString(out.resolve("index.html"));
        List<String> references = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(index).results()
                .map(match -> match.group(1)).toList();
        assertThat(references).hasSize(SOURCES.size());
        for (Map.Entry<String, String> asset : SOURCES.entrySet()) {
            byte[] content = Files.readAllBytes(root.resolve(asset.getValue()));
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 16);
            String name = asset.getKey();
            int dot = name.lastIndexOf('.');
            String hashed = name.substring(0, dot) + "." + hash + name.substring(dot);
            assertThat(references).as(name).contains(hashed);
            assertThat(Files.readAllBytes(out.resolve(hashed))).as(hashed).isEqualTo(content);
        }
        // Apart from the rewritten references and the Logs panel without "Live" (no tail on AWS), index.html is
        // web/index.html.
        assertThat(index).contains("<section id=\"logs\" data-live=\"none\"").doesNotContain("data-live=\"tail\"");
        assertThat(index.replaceAll("\\.[0-9a-f]{16}\\.", ".").replace("data-live=\"none\"", "data-live=\"tail\""))
                .isEqualTo(Files.readString(root.resolve("web/index.html")));
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(SOURCES.size() + 1);
        }
    }

    @Test
    void the_static_files_function_lets_through_exactly_the_built_names() throws Exception {
        build();
        String function = Files.readString(TestingServerless.root().resolve("cloudfront/static-files.js"));
        Matcher asset = Pattern.compile("const ASSET = /(.+)/;").matcher(function);
        assertThat(asset.find()).as("the ASSET pattern of static-files.js").isTrue();
        Pattern allowed = Pattern.compile(asset.group(1)); // plain JavaScript regex syntax, the same in Java
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = "/" + out.relativize(file).toString().replace('\\', '/');
                if (!path.equals("/index.html")) {
                    assertThat(allowed.matcher(path).matches()).as(path).isTrue();
                    assertThat(allowed.matcher(path.replaceAll("\\.[0-9a-f]{16}\\.", ".")).matches()).as(path).isFalse();
                }
            }
        }
    }

    private void build() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("node", "scripts/build-web", "--out", out.toString())
                .directory(TestingServerless.root().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
