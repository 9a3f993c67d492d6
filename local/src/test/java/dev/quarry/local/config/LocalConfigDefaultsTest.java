package dev.quarry.local.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every key of {@link LocalConfig}, read from the mapping by reflection, has a recorded default here (as Trino's
 * {@code assertRecordedDefaults}: a new key fails this test until its default is written down) and a row in
 * docs/local.md's settings table under its environment name, with the same default.
 */
class LocalConfigDefaultsTest {
    /** What an {@code Optional} key without a default is: the table says "unset" (and what that means). */
    private static final String UNSET = "unset";
    /** Every key and its default, recorded. */
    private static final Map<String, String> RECORDED = recorded(
            "quarry.data-dir", "./data",
            "quarry.api-key", UNSET,
            "quarry.shutdown-timeout", "30s",
            "quarry.retention-days", UNSET,
            "quarry.read-key", UNSET,
            "quarry.flush.max-age", "5s",
            "quarry.flush.max-bytes", "67108864",
            "quarry.flush.check-interval", "250ms",
            "quarry.ingest.workers", "0",
            "quarry.ingest.max-pending", "1024",
            "quarry.compaction.target-file-bytes", "134217728",
            "quarry.compaction.open-day-file-bytes", "16777216",
            "quarry.compaction.quiet-after", "60s",
            "quarry.compaction.grace-period", "60s",
            "quarry.compaction.check-interval", "1s",
            "quarry.summary.query-threads", "4",
            "quarry.summary.max-pending", "64",
            "quarry.summary.cached-answers", "256",
            "quarry.duckdb.query-memory-limit", "1GB",
            "quarry.duckdb.query-threads", "0",
            "quarry.duckdb.flush-memory-limit", "512MB",
            "quarry.duckdb.merge-memory-limit", "256MB",
            "quarry.tail.max-clients", "32",
            "quarry.tail.keep-alive", "15s");
    /** A row of the settings table: {@code | `NAME` | default | meaning |}. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Z0-9_]+)` \\| ([^|]*) \\|");

    @Test
    void every_key_of_the_mapping_has_a_recorded_default() {
        assertThat(defaults()).containsExactlyInAnyOrderEntriesOf(RECORDED);
    }

    @Test
    void every_key_is_in_the_settings_table_of_docs_local_md_under_its_environment_name_with_its_default()
            throws IOException {
        Map<String, String> table = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(
                Path.of(System.getProperty("quarry.root", "..")).resolve("docs/local.md"), StandardCharsets.UTF_8));
        while (row.find()) {
            table.put(row.group(1), row.group(2).trim());
        }

        SoftAssertions softly = new SoftAssertions();
        defaults().forEach((key, value) -> {
            String variable = LocalConfig.environmentVariable(key);
            softly.assertThat(table).as("docs/local.md names %s (%s)", variable, key).containsKey(variable);
            if (table.containsKey(variable)) {
                softly.assertThat(table.get(variable)).as("the default of %s in docs/local.md", variable)
                        .startsWith(UNSET.equals(value) ? UNSET : "`" + value + "`");
            }
        });
        softly.assertAll();
    }

    /** Each key of the mapping and its {@code @WithDefault}, or {@value #UNSET} for an {@code Optional}. */
    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        collect(LocalConfig.class.getAnnotation(ConfigMapping.class).prefix(), LocalConfig.class, defaults);
        return defaults;
    }

    private static void collect(String prefix, Class<?> group, Map<String, String> defaults) {
        Arrays.stream(group.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isDefault() && m.getParameterCount() == 0)
                .sorted(Comparator.comparing(Method::getName))
                .forEach(method -> {
                    String key = prefix + "." + kebab(method.getName());
                    WithDefault value = method.getAnnotation(WithDefault.class);
                    if (value != null) {
                        defaults.put(key, value.value());
                    } else if (method.getReturnType() == Optional.class) {
                        defaults.put(key, UNSET);
                    } else if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass()
                            == LocalConfig.class) {
                        collect(key, method.getReturnType(), defaults);
                    } else {
                        throw new AssertionError(key + " has neither a default nor Optional: the server could not"
                                + " start without it");
                    }
                });
    }

    /** SmallRye's key for a method: {@code maxPending} is {@code max-pending}. */
    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> recorded(String... keysAndDefaults) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndDefaults.length; i += 2) {
            map.put(keysAndDefaults[i], keysAndDefaults[i + 1]);
        }
        return map;
    }
}
