package dev.quarry.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What Firehose does to a record before format conversion, offline: multi-record deaggregation of type JSON
 * (JSON objects back to back, or one per line) and the dynamic-partitioning query, run by the jq 1.6 binary,
 * the engine the template names ({@code JsonParsingEngine: JQ-1.6}).
 */
public final class TestingFirehose {

    private TestingFirehose() {
    }

    /** The packaged stream's MetadataExtractionQuery. */
    public static String partitionQuery(JsonNode template) {
        return ServerlessTemplateIT.processors(template.at(
                        "/Resources/IngestStream/Properties/ExtendedS3DestinationConfiguration"))
                .get("MetadataExtraction").get("MetadataExtractionQuery");
    }

    /**
     * Splits one Firehose record into its JSON objects, as RecordDeAggregation with SubRecordType JSON does: each
     * top-level object becomes its own record, byte for byte as it stood. Anything but objects and whitespace
     * between them fails, as it would make Firehose send the record to the error prefix.
     */
    public static List<String> deaggregate(String data) {
        List<String> records = new ArrayList<>();
        try (JsonParser parser = TestingServerless.JSON.createParser(data)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw new AssertionError("Not a JSON object at offset "
                            + parser.currentTokenLocation().getCharOffset() + " of the Firehose record: " + token);
                }
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getCharOffset();
                records.add(data.substring(start, end));
            }
        } catch (IOException e) {
            throw new AssertionError("The Firehose record is not JSON objects back to back: " + e.getMessage(), e);
        }
        return records;
    }

    /**
     * Runs {@code query} with jq 1.6 on each input, as Firehose runs it on each deaggregated record, and returns one
     * compact output per input. Fails (never skips) when jq 1.6 is not installed: {@code .ci/run} installs it.
     */
    public static List<String> jq(String query, List<String> inputs) {
        String jq = System.getProperty("quarry.jq", "jq");
        requireJq16(jq);
        // jq reads its inputs one after the other and runs the program on each: one process for all records.
        String output = run(List.of(jq, "-c", query), String.join("\n", inputs));
        List<String> lines = output.isEmpty() ? List.of() : List.of(output.split("\n", -1));
        if (lines.size() != inputs.size()) {
            throw new AssertionError("jq gave " + lines.size() + " outputs for " + inputs.size() + " records:\n"
                    + output);
        }
        return lines;
    }

    private static volatile String checkedJq;

    private static void requireJq16(String jq) {
        if (jq.equals(checkedJq)) {
            return;
        }
        String version;
        try {
            version = run(List.of(jq, "--version"), "").strip();
        } catch (AssertionError e) {
            throw new AssertionError("jq 1.6 is required to run Firehose's partitioning query offline, but `jq` could"
                    + " not be run (" + jq + ": " + e.getMessage() + "); install it (Debian/Ubuntu: apt-get install jq; .ci/run"
                    + " does) and run the build again", e);
        }
        if (!version.equals("jq-1.6")) {
            throw new AssertionError("Firehose runs the partitioning query with jq 1.6, but `jq --version` says "
                    + version + "; install jq 1.6 (Debian 11/Ubuntu 22.04's jq package) so the test runs the same"
                    + " engine");
        }
        checkedJq = jq;
    }

    private static String run(List<String> command, String input) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        try {
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", command) + "` ran over 60 s");
            }
            String text = new String(output.get(), StandardCharsets.UTF_8);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("`" + String.join(" ", command) + "` exited with " + process.exitValue()
                        + ": " + text);
            }
            return text;
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError("`" + String.join(" ", command) + "` failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The dt a partition query printed, such as {@code {"dt":"2025-11-26"}}. */
    public static String dt(String jqOutput) {
        try {
            JsonNode node = TestingServerless.JSON.readTree(jqOutput);
            if (!node.isObject() || node.size() != 1 || !node.path("dt").isTextual()) {
                throw new AssertionError("The partition query printed " + jqOutput + ", not {\"dt\": \"…\"}");
            }
            return node.path("dt").asText();
        } catch (IOException e) {
            throw new AssertionError("The partition query printed " + jqOutput + ", not JSON", e);
        }
    }
}
