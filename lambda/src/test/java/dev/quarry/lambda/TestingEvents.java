package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.amazon.lambda.runtime.handlers.S3EventInputReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The S3 notification fixtures under {@code src/test/resources/events/}, read as the function reads them. */
public final class TestingEvents {
    private TestingEvents() {
    }

    public static String json(String name) {
        try (InputStream in = stream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deserialized by the same reader the Quarkus Lambda extension uses for {@link S3Event} handlers. */
    public static S3Event s3Event(String name) {
        try (InputStream in = stream(name)) {
            return new S3EventInputReader(new ObjectMapper()).readValue(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = TestingEvents.class.getResourceAsStream("/events/" + name);
        if (in == null) {
            throw new IllegalArgumentException("No fixture events/" + name);
        }
        return in;
    }
}
