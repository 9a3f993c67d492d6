package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table of summary requests ({@code summary/request-cases.json}) that the core, the local server and the Lambda
 * function each answer: every transport must give the answer of {@link SummaryService#answer} on an engine without
 * rows, and that answer what the table says (status, the parameters named by a 400, the values echoed by a 200).
 * The 200 cases ask for days in 2001, where no test stores records.
 */
public final class TestingRequestCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param method GET unless the table says otherwise
     * @param query the raw query string, or null for none
     * @param parameters for a 400, the {@code parameter} of each error entry in order (null for an entry without one)
     * @param echo for a 200, fields the body must hold with these values
     */
    public record Case(String name, String method, String path, String query, Map<String, String> headers,
            int status, List<String> parameters, JsonNode echo) {
        @Override
        public String toString() {
            return name;
        }

        /** The path with its query string, as it goes on the request line. */
        public String target() {
            return query == null ? path : path + "?" + query;
        }
    }

    private TestingRequestCases() {
    }

    public static List<Case> all() {
        try (InputStream in = TestingRequestCases.class.getResourceAsStream("/summary/request-cases.json")) {
            List<Case> cases = new ArrayList<>();
            for (Case c : JSON.readValue(in, new TypeReference<List<Case>>() { })) {
                cases.add(new Case(c.name(), c.method() == null ? "GET" : c.method(), c.path(), c.query(),
                        c.headers() == null ? Map.of() : c.headers(), c.status(), c.parameters(), c.echo()));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the core answers, on an engine that finds no rows. */
    public static SummaryResponse expected(Case c) {
        return new SummaryService(bound -> List.of(), Clock.systemUTC()).answer(c.method(), c.path(), c.query(),
                c.headers());
    }

    /**
     * Asserts that a transport's answer is the core's and the table's.
     *
     * @param headers as the transport sent them; extra transport headers ({@code content-length}) are allowed
     * @param body null when the transport sends none (304, a HEAD)
     */
    public static void assertAnswer(Case c, int status, Map<String, String> headers, String body) throws IOException {
        SummaryResponse expected = expected(c);
        assertThat(expected.status()).as("%s: the core's status", c).isEqualTo(c.status());
        assertThat(status).as("%s: status", c).isEqualTo(expected.status());
        expected.headers().forEach((name, value) -> assertThat(headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst())
                .as("%s: header %s", c, name).contains(value));
        if (expected.body().length == 0) {
            assertThat(body == null ? "" : body).as("%s: body", c).isEmpty();
            return;
        }
        if ("HEAD".equals(c.method()) && (body == null || body.isEmpty())) {
            return; // An HTTP server sends no body to a HEAD (RFC 9110, section 9.3.2); a function URL may.
        }
        assertThat(withoutGeneratedAt(body)).as("%s: body", c).isEqualTo(withoutGeneratedAt(expected.bodyText()));
        JsonNode answer = JSON.readTree(body);
        if (c.parameters() != null) {
            List<String> named = new ArrayList<>();
            answer.get("errors").forEach(error -> named.add(error.has("parameter") ? error.get("parameter").asText()
                    : null));
            assertThat(named).as("%s: %s", c, body).isEqualTo(c.parameters());
        }
        if (c.echo() != null) {
            c.echo().fields().forEachRemaining(field -> assertThat(answer.get(field.getKey()))
                    .as("%s: %s", c, field.getKey()).isEqualTo(field.getValue()));
        }
    }

    public static String withoutGeneratedAt(String body) {
        return body.replaceFirst(",\"generatedAt\":\"[^\"]*\"}$", "}");
    }
}
