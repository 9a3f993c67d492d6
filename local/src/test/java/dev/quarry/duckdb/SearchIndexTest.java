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
    void the_tokens_of_a_lowered_message_are_its_maximal_runs_of_token_characters() {
        assertThat(tokens("order 12345: payment declined")).containsExactly("order", "12345", "payment", "declined");
        assertThat(tokens("::a--b_c  ")).containsExactly("a", "b", "c");
        assertThat(tokens("x\u212ay straße 😀! i\u0307stanbul")).containsExactly("x\u212ay", "straße", "😀",
                "i\u0307stanbul");
        assertThat(tokens("")).isEmpty();
        assertThat(tokens(" .,")).isEmpty();
        for (char c = 0; c < 0x80; c++) {
            assertThat(tokens("ab" + c + "cd")).as("U+%04X", (int) c).isEqualTo(
                    (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? List.of("ab" + c + "cd") : List.of("ab", "cd"));
        }
    }

    @Test
    void duckdb_lowers_every_ascii_capital_so_lowered_text_holds_none() throws Exception {
        try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
                Connection connection = engine.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT lower(?)")) {
            for (char c = 'A'; c <= 'Z'; c++) {
                statement.setString(1, "x" + c + "\u212a\u0130");
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    assertThat(result.getString(1).charAt(1)).isEqualTo(Character.toLowerCase(c));
                }
            }
        }
    }

    @Test
    void a_filter_grows_past_its_first_guess_and_keeps_every_element_through_its_file() throws Exception {
        SearchIndex.Filter filter = new SearchIndex.Filter(10);
        for (int i = 0; i < 50_000; i++) {
            filter.put("t" + i);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        filter.writeTo(new java.io.DataOutputStream(bytes));
        SearchIndex.Filter read = SearchIndex.Filter.readFrom(new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray())));
        int falsePositives = 0;
        for (int i = 0; i < 50_000; i++) {
            assertThat(read.mightContain("t" + i)).isTrue();
            falsePositives += read.mightContain("absent" + i) ? 1 : 0;
        }
        assertThat(falsePositives).as("false positives in 50,000").isLessThan(500);
        assertThat(bytes.size()).as("more than the first filter's 1,024 elements").isGreaterThan(50_000);
    }

    private static List<String> tokens(String lower) {
        List<String> tokens = new ArrayList<>();
        SearchIndex.tokens(lower, tokens::add);
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
