package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.problem.ProblemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The problem JSON that AWS answers with is written as literals (API Gateway's gateway responses and mapping
 * templates in {@code resources/*.yml}, the CloudFront functions in {@code cloudfront/*.js}); each names a type of
 * core's {@link ProblemType} table with that table's title and status, so a client sees the same title for a type
 * from the local server and from AWS.
 */
class ProblemTitlesAgreeTest {

    private static final Pattern JSON_PROBLEM = Pattern.compile(
            "\"type\":\"urn:quarry:problem:([a-z-]+)\",\"title\":\"([^\"]*)\",\"status\":(\\d+)");
    private static final Pattern JS_PROBLEM = Pattern.compile(
            "type: 'urn:quarry:problem:([a-z-]+)',\\s*title: '([^']*)',\\s*status: (\\d+)");
    /** API Gateway answers 504 for a delivery stream it cannot reach in time (INTEGRATION_FAILURE, _TIMEOUT). */
    private static final Map<ProblemType, Set<Integer>> OTHER_STATUSES = Map.of(ProblemType.UNAVAILABLE, Set.of(504));

    record Literal(String file, String slug, String title, int status) {
    }

    @Test
    void every_problem_aws_answers_with_has_the_type_title_and_status_of_the_problem_table() throws IOException {
        List<Literal> literals = literals();

        SoftAssertions softly = new SoftAssertions();
        for (Literal literal : literals) {
            ProblemType type = ProblemType.bySlug(literal.slug()).orElse(null);
            softly.assertThat(type).as("%s: the type %s is in ProblemType", literal.file(), literal.slug()).isNotNull();
            if (type != null) {
                softly.assertThat(literal.title()).as("%s: the title of %s", literal.file(), literal.slug())
                        .isEqualTo(type.title());
                softly.assertThat(literal.status()).as("%s: the status of %s", literal.file(), literal.slug())
                        .isIn(Stream.concat(Stream.of(type.status()),
                                OTHER_STATUSES.getOrDefault(type, Set.of()).stream()).toList());
            }
        }
        softly.assertAll();
        assertThat(literals).extracting(Literal::slug).contains("payload-too-large", "invalid-record", "forbidden",
                "not-found", "unavailable", "internal-error", "unauthorized");
    }

    @Test
    void payload_too_large_is_titled_content_too_large_as_rfc_9110_names_413() throws IOException {
        assertThat(literals()).filteredOn(literal -> literal.slug().equals("payload-too-large"))
                .extracting(Literal::title).hasSizeGreaterThanOrEqualTo(2).containsOnly("Content Too Large");
    }

    /** Every problem literal; fails when a file holds a problem type URI in a shape the patterns do not read. */
    private static List<Literal> literals() throws IOException {
        Path root = TestingServerless.root();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("serverless.yml"));
        for (String directory : List.of("resources", "cloudfront")) {
            try (Stream<Path> listed = Files.list(root.resolve(directory))) {
                listed.filter(file -> file.toString().endsWith(".yml")
                        || file.toString().endsWith(".js") && !file.toString().endsWith(".test.mjs")).sorted()
                        .forEach(files::add);
            }
        }
        List<Literal> literals = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String name = root.relativize(file).toString();
            int found = 0;
            for (Pattern pattern : List.of(JSON_PROBLEM, JS_PROBLEM)) {
                Matcher matcher = pattern.matcher(text);
                while (matcher.find()) {
                    literals.add(new Literal(name, matcher.group(1), matcher.group(2),
                            Integer.parseInt(matcher.group(3))));
                    found++;
                }
            }
            assertThat(found).as("%s: every problem type URI is read as a problem literal", name)
                    .isEqualTo(occurrences(text, ProblemType.URI_PREFIX));
        }
        return literals;
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
