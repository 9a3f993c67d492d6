package dev.quarry.problem;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.record.InvalidRecordsException;
import dev.quarry.record.RecordParser;
import dev.quarry.record.Violation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_media_type_is_problem_json() {
        assertThat(Problem.MEDIA_TYPE).isEqualTo("application/problem+json");
    }

    @Test
    void an_invalid_records_problem_has_type_title_status_400_and_detail_naming_the_first_violation() throws Exception {
        InvalidRecordsException e = new InvalidRecordsException(List.of(
                new Violation(3, "source", "must not be empty"),
                new Violation(3, "logtype", "must match the pattern")));

        JsonNode json = JSON.readTree(Problem.invalidRecords(e).toJson());

        assertThat(json.path("type").textValue()).isNotBlank().isEqualTo(Problem.invalidRecords(e).type());
        assertThat(json.path("title").textValue()).isNotBlank();
        assertThat(json.path("status").isInt()).isTrue();
        assertThat(json.path("status").intValue()).isEqualTo(400);
        assertThat(json.path("detail").textValue()).isEqualTo("record 3, field 'source': must not be empty");
    }

    @Test
    void an_invalid_records_problem_lists_every_violation_with_pointer_index_field_and_detail() throws Exception {
        InvalidRecordsException e = new InvalidRecordsException(List.of(
                new Violation(3, "source", "must not be empty"),
                new Violation(-1, " source", "is not a field of a log record"),
                new Violation(-1, null, "The body is not valid JSON")));

        JsonNode errors = JSON.readTree(Problem.invalidRecords(e).toJson()).path("errors");

        assertThat(errors.isArray()).isTrue();
        assertThat(errors).hasSize(3);
        JsonNode first = errors.get(0);
        assertThat(first.path("pointer").textValue()).isEqualTo("/3/source");
        assertThat(first.path("index").intValue()).isEqualTo(3);
        assertThat(first.path("field").textValue()).isEqualTo("source");
        assertThat(first.path("detail").textValue()).isEqualTo("must not be empty");
        JsonNode second = errors.get(1);
        assertThat(second.path("pointer").textValue()).isEqualTo("/ source");
        assertThat(second.has("index")).as("no index for a single-record body").isFalse();
        assertThat(second.path("field").textValue()).isEqualTo(" source");
        JsonNode third = errors.get(2);
        assertThat(third.path("pointer").textValue()).as("the whole document").isEmpty();
        assertThat(third.has("index")).isFalse();
        assertThat(third.has("field")).isFalse();
        assertThat(third.path("detail").textValue()).isEqualTo("The body is not valid JSON");
    }

    @Test
    void the_problem_for_a_parsed_request_points_at_the_faulty_value_in_the_body() throws Exception {
        String body = "[{\"source\":\"a\",\"logtype\":\"error\",\"message\":\"m\"},"
                + "{\"source\":\"b\",\"logtype\":\"error\",\"message\":\"m\",\"a/b~c\":\"typo\"}]";
        InvalidRecordsException e = catchThrowableOfType(InvalidRecordsException.class,
                () -> RecordParser.create().parse(body.getBytes(UTF_8), Instant.parse("2026-11-26T10:15:30Z")));

        JsonNode problem = JSON.readTree(Problem.invalidRecords(e).toJson());

        assertThat(problem.path("status").intValue()).isEqualTo(400);
        assertThat(problem.path("detail").textValue()).startsWith("record 1, field 'a/b~c'");
        JsonNode error = problem.path("errors").get(0);
        assertThat(error.path("pointer").textValue()).isEqualTo("/1/a~1b~0c");
        assertThat(error.path("index").intValue()).isEqualTo(1);
        assertThat(error.path("field").textValue()).isEqualTo("a/b~c");
        assertThat(JSON.readTree(body).at(error.path("pointer").textValue()).textValue()).isEqualTo("typo");
    }

    @Test
    void a_problem_serialises_its_extensions_beside_the_standard_members() throws Exception {
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "at most 1 MiB").with("limit", 1_048_576);
        JsonNode json = JSON.readTree(problem.toJson());
        assertThat(json.path("type").textValue()).endsWith("too-large");
        assertThat(json.path("status").intValue()).isEqualTo(413);
        assertThat(json.path("detail").textValue()).isEqualTo("at most 1 MiB");
        assertThat(json.path("limit").intValue()).isEqualTo(1_048_576);
    }

    @Test
    void a_problem_named_by_its_slug_must_have_the_tables_title_and_status() {
        assertThat(Problem.of("payload-too-large", "Content Too Large", 413, "d"))
                .isEqualTo(Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "d"));
        assertThatThrownBy(() -> Problem.of("payload-too-large", "Payload too large", 413, "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Content Too Large'");
        assertThatThrownBy(() -> Problem.of("too-large", "Content Too Large", 413, "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No problem type 'too-large'");
    }

    @Test
    void a_problem_types_uri_is_the_prefix_and_its_slug() {
        assertThat(ProblemType.bySlug("not-durable")).contains(ProblemType.NOT_DURABLE);
        assertThat(ProblemType.NOT_DURABLE.uri()).isEqualTo("urn:quarry:problem:not-durable");
        assertThat(ProblemType.bySlug("internal")).isEmpty();
    }

    @Test
    void a_pointer_escapes_tilde_and_slash_per_rfc_6901() {
        assertThat(new Violation(-1, "a/b", "d").pointer()).isEqualTo("/a~1b");
        assertThat(new Violation(-1, "a~b", "d").pointer()).isEqualTo("/a~0b");
        assertThat(new Violation(0, "~1", "d").pointer()).as("~ escaped before /").isEqualTo("/0/~01");
        assertThat(new Violation(2, "/~/", "d").pointer()).isEqualTo("/2/~1~0~1");
        assertThat(new Violation(7, "", "d").pointer()).isEqualTo("/7/");
    }

    @Test
    void a_pointer_names_the_index_and_field_present() {
        assertThat(new Violation(-1, null, "d").pointer()).isEmpty();
        assertThat(new Violation(4, null, "d").pointer()).isEqualTo("/4");
        assertThat(new Violation(-1, "source", "d").pointer()).isEqualTo("/source");
        assertThat(new Violation(4, "source", "d").pointer()).isEqualTo("/4/source");
    }

    @Test
    void an_escaped_pointer_resolves_to_the_field_in_the_json_document() throws Exception {
        for (String field : List.of("a/b", "a~b", "~1", "/~/", " source", "x~0/y")) {
            JsonNode document = JSON.createArrayNode().add(JSON.createObjectNode().put(field, "here"));
            assertThat(document.at(new Violation(0, field, "d").pointer()).textValue()).as(field).isEqualTo("here");
        }
    }
}
