package dev.quarry.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** The record contract as it lies in the repository ({@code schema/log-record.schema.json}), for tests. */
final class SchemaFile {
    static final String NAME = "log-record.schema.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode json;

    private SchemaFile() {
    }

    /** The schema file at the repository top level (tests run in {@code core/}). */
    static Path path() {
        for (Path candidate : new Path[] {Path.of("..", "schema", NAME), Path.of("schema", NAME)}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find schema/" + NAME + " from " + Path.of("").toAbsolutePath());
    }

    static synchronized JsonNode json() {
        if (json == null) {
            try {
                json = MAPPER.readTree(path().toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    static JsonNode record() {
        return json().at("/definitions/record");
    }

    static JsonNode property(String name) {
        return record().path("properties").path(name);
    }

    /** The regex of the timestamp's {@code oneOf[i]} branch, compiled with java.util.regex. */
    static Pattern timestampPattern(int i) {
        JsonNode pattern = property("timestamp").path("oneOf").path(i).path("pattern");
        if (!pattern.isTextual()) {
            throw new IllegalStateException("timestamp.oneOf[" + i + "] has no pattern");
        }
        return Pattern.compile(pattern.textValue());
    }

    /** The schema's digit-string form of the timestamp (epoch milliseconds). */
    static Pattern digitStringPattern() {
        return timestampPattern(1);
    }

    /** The schema's ISO-8601 UTC form of the timestamp. */
    static Pattern isoPattern() {
        return timestampPattern(2);
    }
}
