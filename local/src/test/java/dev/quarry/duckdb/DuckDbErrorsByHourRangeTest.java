package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.local.TestingDataset;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records outside the recency window are filed under the day they were received, with the timestamp they were sent:
 * the day-based summaries count them under that day, but errors-by-hour counts an hour only inside the range asked
 * for (issue 13, item 7: a 2023 timestamp showed as 2023-09-08T21:00:00Z in a last-7-days answer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuckDbErrorsByHourRangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-03-02T22:00:00Z");

    private DuckDbQueryEngine engine;
    private SummaryService service;

    @BeforeAll
    void writeDataset(@TempDir Path dataDir) throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            dataset.writeBodies(List.of(
                    error("in-window", Instant.parse("2026-03-02T21:30:00Z")),
                    // Years old: filed under the day received, 2026-03-02.
                    error("past", Instant.parse("2023-09-08T21:15:00Z")),
                    // Five hours ahead of its receipt, beyond the 2 hours allowed: also filed under 2026-03-02.
                    error("future", Instant.parse("2026-03-03T03:00:00Z"))), RECEIVED);
        }
        engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
        service = new SummaryService(engine, Clock.fixed(Instant.parse("2026-03-10T08:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void an_hour_outside_the_range_is_not_counted_though_its_record_is_filed_inside() throws Exception {
        assertThat(rows("errors-by-hour", "2026-03-02", "2026-03-02"))
                .isEqualTo("[{\"hour\":\"2026-03-02T21:00:00Z\",\"events\":1}]");
        assertThat(rows("errors-by-hour", "2026-03-02", "2026-03-03")).isEqualTo("["
                + "{\"hour\":\"2026-03-02T21:00:00Z\",\"events\":1},"
                + "{\"hour\":\"2026-03-03T03:00:00Z\",\"events\":1}]");
    }

    @Test
    void an_old_timestamp_is_not_counted_in_its_own_hour_either_when_its_filing_day_is_outside_the_range() throws Exception {
        assertThat(rows("errors-by-hour", "2023-09-08", "2023-09-08")).isEqualTo("[]");
    }

    @Test
    void the_day_based_summaries_count_every_record_under_the_day_it_is_filed_under() throws Exception {
        assertThat(rows("volume-by-day", "2026-03-02", "2026-03-02"))
                .isEqualTo("[{\"dt\":\"2026-03-02\",\"events\":3}]");
        assertThat(rows("top-messages", "2026-03-02", "2026-03-02"))
                .isEqualTo("[{\"message\":\"m\",\"events\":3}]");
    }

    private static String error(String source, Instant timestamp) {
        return "{\"source\":\"" + source + "\",\"logtype\":\"error\",\"message\":\"m\",\"timestamp\":"
                + timestamp.toEpochMilli() + "}";
    }

    private String rows(String query, String from, String to) throws Exception {
        SummaryResponse response = service.handle(query, Map.of("from", List.of(from), "to", List.of(to)), null);
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return JSON.readTree(response.body()).get("rows").toString();
    }
}
