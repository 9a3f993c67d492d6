package dev.quarry.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test methods across every module are named in one style: lower-case sentences in snake_case
 * ({@code refuses_a_key_that_was_revoked}), so a report reads the same whichever module failed.
 */
class TestNamesAreSentencesTest {

    /** A test annotation, any further annotations, then the method's name. */
    static final Pattern TEST_METHOD = Pattern.compile(
            "@(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\\b[^\\n]*\\n(?:\\s*@[^\\n]*\\n)*"
                    + "\\s*(?:(?:public|protected|private|static)\\s+)*\\S+\\s+(\\w+)\\s*\\(");
    static final Pattern SENTENCE = Pattern.compile("[a-z0-9]+(?:_[a-z0-9]+)*");

    @Test
    void every_test_method_in_every_module_is_a_snake_case_sentence() throws IOException {
        List<String> found = new ArrayList<>();
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("core", "local", "athena", "lambda", "deploy")) {
            Path tests = TestingServerless.root().resolve(module).resolve("src/test/java");
            try (Stream<Path> files = Files.walk(tests)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = TEST_METHOD.matcher(Files.readString(file));
                    while (m.find()) {
                        found.add(m.group(1));
                        if (!SENTENCE.matcher(m.group(1)).matches()) {
                            offenders.add(file.getFileName() + ": " + m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(found).as("test methods found").hasSizeGreaterThan(400);
        assertThat(offenders).as("test methods not named as snake_case sentences").isEmpty();
    }

    @Test
    void the_pattern_finds_annotated_methods_and_tells_the_styles_apart() {
        String source = """
                #Test
                void refuses_a_revoked_key() {}
                #ParameterizedTest
                #MethodSource("cases")
                public void parsesEveryForm(String s) {}
                """.replace('#', '@'); // '#' in the file, so this sample is not itself scanned as tests
        Matcher m = TEST_METHOD.matcher(source);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).containsExactly("refuses_a_revoked_key", "parsesEveryForm");
        assertThat(SENTENCE.matcher("refuses_a_revoked_key").matches()).isTrue();
        assertThat(SENTENCE.matcher("parsesEveryForm").matches()).isFalse();
    }
}
