package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.search.BoundSearch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search index's token rule, its agreement with DuckDB's split, and that it prunes. */
class SearchIndexTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate FIRST = LocalDate.parse("2026-11-20");

    @TempDir
    Path dataDir;

    @Test
    void interior_tokens_are_the_runs_with_a_separator_on_both_sides() {
        assertThat(SearchIndex.interiorTokens("order 12345:")).containsExactly("12345");
        assertThat(SearchIndex.interiorTokens("er 123")).isEmpty();
        assertThat(SearchIndex.interiorTokens("timed out")).isEmpty();
        assertThat(SearchIndex.interiorTokens("timed")).isEmpty();
        assertThat(SearchIndex.interiorTokens(" timed ")).containsExactly("timed");
        assertThat(SearchIndex.interiorTokens("a b c d")).containsExactly("b", "c");
        assertThat(SearchIndex.interiorTokens("::x::y::")).containsExactly("x", "y");
        assertThat(SearchIndex.interiorTokens("  ")).isEmpty();
        assertThat(SearchIndex.interiorTokens("")).isEmpty();
        // Non-ASCII characters are token characters.
        assertThat(SearchIndex.interiorTokens("x straße\u212a! y")).containsExactly("straße\u212a");
        assertThat(SearchIndex.interiorTokens("a 😀 b")).containsExactly("😀");
    }

    @Test
    void duckdbs_split_of_lower_message_separates_exactly_where_the_java_rule_does() throws Exception {
        List<String> texts = new ArrayList<>();
        for (char c = 1; c < 0x80; c++) {
            texts.add("ab" + c + "cd");
        }
        texts.addAll(List.of("x\u212ay", "x\u0130y", "Straße", "a😀b", "ÀÉÎ-Õ", "\u212a:\u0130", "Ab1-Z9_z"));
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
                Connection connection = engine.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT lower(?), list_filter("
                        + "string_split_regex(lower(?), '" + SearchIndex.SEPARATORS + "'), t -> t <> '')")) {
            for (String text : texts) {
                statement.setString(1, text);
                statement.setString(2, text);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    String lower = result.getString(1);
                    Object[] split = (Object[]) result.getArray(2).getArray();
                    assertThat(Arrays.stream(split).map(Object::toString).toList()).as("%s", text)
                            .isEqualTo(javaTokens(lower));
                }
            }
        }
    }

    /** Every maximal run of token characters, by {@link SearchIndex#separator}. */
    private static List<String> javaTokens(String lower) {
        List<String> tokens = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i <= lower.length(); i++) {
            if (i == lower.length() || SearchIndex.separator(lower.charAt(i))) {
                if (run.length() > 0) {
                    tokens.add(run.toString());
                }
                run.setLength(0);
            } else {
                run.append(lower.charAt(i));
            }
        }
        return tokens;
    }

    @Test
    void a_search_for_a_unique_token_or_attribute_reads_only_the_file_that_holds_it() throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir);
                DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"))) {
            for (int day = 0; day < 3; day++) {
                for (int flush = 0; flush < 2; flush++) {
                    var record = TestingDataset.record("api", "info", FIRST.plusDays(day) + "T10:00:0" + flush + "Z",
                            "order " + (1000 + day * 10 + flush) + ": accepted");
                    record.putObject("attributes").put("request_id", "r" + day + flush);
                    dataset.write(List.of(record));
                }
            }
            List<LiveFiles.Live> live = LiveFiles.forDaysWithRollups(dataDir, FIRST, FIRST.plusDays(2));
            assertThat(live).hasSize(6).allMatch(file -> file.rollups().contains(SearchIndex.KIND));
            Path dayOne = DataLayout.of(dataDir).day(FIRST.plusDays(1));
            assertThat(engine.filesFor(search("order 1010: acc", Map.of()))).hasSize(1)
                    .allMatch(file -> file.getParent().equals(dayOne));
            assertThat(engine.filesFor(search("x ORDER 1011: y", Map.of()))).hasSize(1)
                    .allMatch(file -> file.getParent().equals(dayOne));
            assertThat(engine.filesFor(search("", Map.of("request_id", "r21")))).hasSize(1)
                    .allMatch(file -> file.getParent().endsWith("dt=" + FIRST.plusDays(2)));
            assertThat(engine.filesFor(search(" 1011 ", Map.of("request_id", "r21")))).isEmpty();
            assertThat(engine.filesFor(search(" nowhere ", Map.of()))).isEmpty();
            assertThat(engine.filesFor(search("nowhere", Map.of()))).as("no interior token").hasSize(6);
            assertThat(engine.filesFor(search("order 1010", Map.of()))).as("no interior token").hasSize(6);
            assertThat(engine.searchIndexBytes()).isPositive();

            engine.useSearchIndex(false);
            assertThat(engine.filesFor(search(" nowhere ", Map.of()))).hasSize(6);
            engine.useSearchIndex(true);

            // The files of a day whose manifest names no index are always read.
            Path manifest = DataLayout.manifest(dayOne);
            ObjectNode node = (ObjectNode) JSON.readTree(manifest.toFile());
            node.remove("rollups");
            Files.write(manifest, JSON.writeValueAsBytes(node));
            assertThat(engine.filesFor(search(" nowhere ", Map.of()))).hasSize(2)
                    .allMatch(file -> file.getParent().equals(dayOne));
        }
    }

    private static BoundSearch search(String q, Map<String, String> attributes) {
        return new BoundSearch("", List.of(), FIRST, FIRST.plusDays(2), false, q, attributes);
    }
}
