package dev.quarry.duckdb;

import static dev.quarry.local.TestingDataset.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.TestingDataset;
import dev.quarry.search.BoundSearch;
import dev.quarry.search.SearchRow;
import dev.quarry.search.SearchToJson;
import dev.quarry.sql.SqlLiteral;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryRequest;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL meant for Athena, run on its engine: every statement under {@code sql/} on a real Trino 476 (Athena engine
 * v3 is built on Trino) over the Parquet files the DuckDB tests read ({@link DuckDbSummaryTest#DATASET}, written
 * through the real write path), with the parameters bound as the Athena adapter binds {@code ExecutionParameters}
 * (each an SQL literal, {@link BoundQuery#parameterLiterals}), and the rows compared with DuckDB's. The table is made
 * from {@code sql/create-table.sql}, adapted where Trino's DDL differs from Athena's ({@link #trinoDdl}).
 * Trino starts once for the class (20-60 s on two cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrinoAgreesWithDuckDbIT {
    private static final String TABLE = "\"hive\".\"quarry\".\"logs\"";
    /** Sub-millisecond digits Trino would round into the next hour and the next day (issue 19). */
    private static final List<ObjectNode> PRECISION_EDGES = List.of(
            record("web", "error", "2026-03-02T13:59:59.999600Z", "rounded up"),
            record("web", "error", "2026-03-03T23:59:59.999900Z", "rounded into tomorrow"),
            record("api", "error", "2026-03-01T23:59:59.999999999Z", "nine digits"));

    /**
     * Records for searching (issue 21), on days no summary request above reads: 6 flushes of 120 (several files a
     * day), with identical duplicates and shared timestamps.
     */
    private static final SearchFixture SEARCH = new SearchFixture(21, 6, 120);
    private static final List<List<ObjectNode>> SEARCH_DATASET = SEARCH.flushes;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-25T08:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private TestingTrino trino;
    private DuckDbQueryEngine duckDb;
    private Path root;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        root = Files.createDirectories(work.resolve("data"));
        try (TestingDataset dataset = TestingDataset.in(root)) {
            for (List<ObjectNode> flush : DuckDbSummaryTest.DATASET) {
                dataset.write(flush);
            }
            dataset.write(PRECISION_EDGES);
            for (List<ObjectNode> flush : SEARCH_DATASET) {
                dataset.write(flush);
            }
        }
        duckDb = new DuckDbQueryEngine(root.resolve("logs"));
        trino = TestingTrino.start(Files.createDirectories(work.resolve("trino")), root);
        trino.query("CREATE SCHEMA hive.quarry");
        trino.query(trinoDdl(Files.readString(repository().resolve("sql/create-table.sql"))));
    }

    @AfterAll
    void stop() {
        if (trino != null) {
            trino.close();
        }
        if (duckDb != null) {
            duckDb.close();
        }
    }

    private static Path repository() {
        return Path.of(System.getProperty("quarry.repo.dir", "..")).toAbsolutePath().normalize();
    }

    /**
     * {@code sql/create-table.sql} as Trino takes it. Columns, partition key and projection properties come from the
     * file; what a user porting the DDL between Athena and Trino meets:
     * <ol>
     * <li>Athena's DDL is Hive's ({@code CREATE EXTERNAL TABLE … STORED AS PARQUET LOCATION … TBLPROPERTIES});
     * Trino's is {@code CREATE TABLE … WITH (format = 'PARQUET', external_location = …)};</li>
     * <li>Hive types: {@code string} is {@code varchar}, {@code map<string,string>} is {@code map(varchar, varchar)},
     * and {@code timestamp} is Trino's {@code timestamp(3)}: milliseconds, as Athena reads Glue's timestamps;</li>
     * <li>{@code `timestamp`} (backticks, Hive) is {@code "timestamp"} (double quotes, ANSI);</li>
     * <li>the partition column is declared with the others, named in {@code partitioned_by}, and carries its
     * projection properties ({@code projection.dt.type} is the column's {@code partition_projection_type}, …);</li>
     * <li>the projected range is fixed to the fixtures' days, where the file says {@code NOW-46DAYS,NOW+1DAYS};</li>
     * <li>{@code storage.location.template} is {@code partition_projection_location_template}, over
     * {@code local:///} (Trino's local file system) instead of {@code s3://<bucket>/}; {@code classification} is
     * Glue's alone and has no Trino counterpart.</li>
     * </ol>
     */
    static String trinoDdl(String athenaDdl) {
        Matcher body = Pattern.compile("CREATE EXTERNAL TABLE IF NOT EXISTS (\\w+) \\((.*?)\\)\\s*PARTITIONED BY \\((\\w+)"
                + " (\\w+)\\)\\s*STORED AS PARQUET\\s*LOCATION '([^']*)'\\s*TBLPROPERTIES \\((.*?)\\);", Pattern.DOTALL)
                .matcher(athenaDdl);
        assertThat(body.find()).as("sql/create-table.sql has the shape this adapter reads").isTrue();
        List<String> columns = new ArrayList<>();
        for (String column : body.group(2).split(",\\s*\\n")) {
            Matcher definition = Pattern.compile("\\s*`?(\\w+)`? (.+?)\\s*").matcher(column);
            assertThat(definition.matches()).as(column).isTrue();
            columns.add("\"" + definition.group(1) + "\" " + trinoType(definition.group(2)));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Matcher property = Pattern.compile("'([^']+)' = '([^']*)'").matcher(body.group(6));
        while (property.find()) {
            properties.put(property.group(1), property.group(2));
        }
        String partition = body.group(3);
        assertThat(body.group(4)).isEqualTo("string");
        assertThat(properties).containsEntry("projection.enabled", "true").containsKey("storage.location.template");
        String prefix = "projection." + partition + ".";
        List<String> projection = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(prefix)) {
                return;
            }
            String name = "partition_projection_" + key.substring(prefix.length()).replace('.', '_');
            projection.add(switch (name) {
                case "partition_projection_range" -> name + " = ARRAY['2026-02-01', '2026-04-01']";
                case "partition_projection_interval" -> name + " = " + Integer.parseInt(value);
                default -> name + " = '" + value + "'";
            });
        });
        columns.add("\"" + partition + "\" varchar WITH (" + String.join(", ", projection) + ")");
        String bucket = body.group(5).replaceFirst("^s3://[^/]+/", "");
        String template = properties.get("storage.location.template").replaceFirst("^s3://[^/]+/", "local:///");
        return "CREATE TABLE " + TABLE + " (\n  " + String.join(",\n  ", columns) + "\n) WITH (format = 'PARQUET',"
                + " external_location = 'local:///" + bucket.replaceFirst("/$", "") + "', partitioned_by = ARRAY['"
                + partition + "'], partition_projection_enabled = true, partition_projection_location_template = '"
                + template + "')";
    }

    private static String trinoType(String hiveType) {
        return switch (hiveType) {
            case "string" -> "varchar";
            case "timestamp" -> "timestamp(3)";
            case "map<string,string>" -> "map(varchar, varchar)";
            default -> throw new AssertionError("No Trino type for the Hive type " + hiveType);
        };
    }

    /** What each summary is asked, as query-string parameters over the fixtures' days. */
    private static List<Map<String, String>> requests(CannedQuery query) {
        List<Map<String, String>> requests = new ArrayList<>();
        for (String[] range : new String[][] {{"2026-03-01", "2026-03-03"}, {"2026-03-01", "2026-03-01"},
                {"2026-03-02", "2026-03-02"}, {"2026-03-03", "2026-03-03"}, {"2026-02-20", "2026-03-10"},
                {"2026-03-04", "2026-03-10"}}) {
            requests.add(Map.of("from", range[0], "to", range[1]));
            for (String source : List.of("web", "worker", "o'brien", "x' OR '1'='1")) {
                requests.add(Map.of("from", range[0], "to", range[1], "source", source));
            }
            if (query.acceptsLogtype()) {
                for (String logtype : List.of("error", "info", "security.alert")) {
                    requests.add(Map.of("from", range[0], "to", range[1], "logtype", logtype));
                }
            }
            if (query.takesLimit()) {
                requests.add(Map.of("from", range[0], "to", range[1], "limit", "2"));
            }
        }
        return requests;
    }

    @Test
    void every_summary_statement_gives_the_same_rows_on_trino_as_on_duck_db() throws Exception {
        int compared = 0;
        List<String> disagreements = new ArrayList<>();
        for (CannedQuery query : CannedQuery.values()) {
            for (Map<String, String> parameters : requests(query)) {
                BoundQuery bound = SummaryRequest.parse(query, parameters.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
                        LocalDate.parse("2026-03-10")).bind();
                List<List<Object>> expected = duckDb.run(bound);
                List<List<Object>> actual = onTrino(bound);
                compared++;
                if (!actual.equals(expected)) {
                    disagreements.add(query.queryName() + " " + parameters + "\n  DuckDB: " + expected
                            + "\n  Trino:  " + actual);
                }
            }
        }
        assertThat(disagreements).as("of %s answers", compared).isEmpty();
        assertThat(compared).isGreaterThan(150);
    }

    @Test
    void sub_millisecond_timestamps_stay_in_their_hour_and_day_on_trino() throws Exception {
        BoundQuery lastDay = SummaryRequest.parse(CannedQuery.ERRORS_BY_HOUR, Map.of("from", List.of("2026-03-03"),
                "to", List.of("2026-03-03"), "source", List.of("web")), LocalDate.parse("2026-03-10")).bind();
        assertThat(onTrino(lastDay)).containsExactly(List.of(Instant.parse("2026-03-03T23:00:00Z"), 1L));
        List<List<JsonNode>> stored = trino.query("SELECT CAST(\"timestamp\" AS varchar), dt FROM " + TABLE
                + " WHERE message IN ('rounded up', 'rounded into tomorrow', 'nine digits') ORDER BY 1");
        assertThat(stored.stream().map(row -> row.get(0).asText() + " " + row.get(1).asText()).toList())
                .containsExactly("2026-03-01 23:59:59.999 2026-03-01", "2026-03-02 13:59:59.999 2026-03-02",
                        "2026-03-03 23:59:59.999 2026-03-03");
    }

    /**
     * Seeded random searches (ranges by day and by instant, cutting groups of equal timestamps; source, logtype,
     * {@code q} with wildcard characters and case differences, attribute filters; limits 1..1000), each paged with
     * its cursors to the end through {@code GET /search} on both engines: every page the same on Trino as on DuckDB
     * (rows, order and cursor), and over all pages every matching record exactly once, identical duplicates included.
     */
    @Test
    void searches_paged_to_the_end_give_the_same_pages_on_trino_as_on_duck_db_and_every_match_once() throws Exception {
        SummaryService onDuckDb = new SummaryService(duckDb, duckDb, CLOCK, CachePolicy.keepingEverything());
        SummaryService onTrino = new SummaryService(duckDb, this::searchOnTrino, CLOCK,
                CachePolicy.keepingEverything());
        List<String> failures = new ArrayList<>();
        int pages = 0;
        int paged = 0;
        int found = 0;
        int searches = 70;
        for (int i = 0; i < searches; i++) {
            Map<String, String> parameters = SEARCH.search();
            List<SearchRow> expected = SEARCH.matches(parameters);
            int limit = SEARCH.limit(expected.size());
            parameters.put("limit", Integer.toString(limit));
            List<String> seen = new ArrayList<>();
            String next = null;
            int pagesOfSearch = 0;
            do {
                String query = SearchFixture.queryString(parameters) + (next == null ? "" : "&cursor=" + next);
                JsonNode fromDuckDb = page(onDuckDb, query);
                JsonNode fromTrino = page(onTrino, query);
                pages++;
                pagesOfSearch++;
                if (!fromTrino.equals(fromDuckDb)) {
                    failures.add(query + "\n  DuckDB: " + fromDuckDb + "\n  Trino:  " + fromTrino);
                    break;
                }
                assertThat(fromDuckDb.get("rows").size()).as(query).isLessThanOrEqualTo(limit);
                fromDuckDb.get("rows").forEach(row -> seen.add(row.toString()));
                next = fromDuckDb.get("next").isNull() ? null : fromDuckDb.get("next").asText();
            } while (next != null);
            List<String> timestamps = seen.stream().map(row -> row.substring(0, 40)).toList();
            assertThat(timestamps).as("newest first: %s", parameters)
                    .isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(sorted(seen)).as("every match once: %s", parameters).isEqualTo(sorted(expected.stream()
                    .map(TrinoAgreesWithDuckDbIT::json).toList()));
            paged += pagesOfSearch > 1 ? 1 : 0;
            found += expected.isEmpty() ? 0 : 1;
        }
        assertThat(failures).as("of %s pages", pages).isEmpty();
        // The draw covers what it is for: many searches over several pages, most of them finding records.
        assertThat(paged).as("searches over more than one page").isGreaterThan(searches / 3);
        assertThat(found).as("searches finding records").isGreaterThan(searches / 2);
    }

    private static List<String> sorted(List<String> rows) {
        return rows.stream().sorted().toList();
    }

    /** A row as the answer writes it. */
    private static String json(SearchRow row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("timestamp", SearchToJson.TIMESTAMP.format(row.timestamp()));
        node.put("dt", row.dt());
        node.put("source", row.source());
        node.put("logtype", row.logtype());
        node.put("message", row.message());
        ObjectNode attributes = node.putObject("attributes");
        row.attributes().forEach(attributes::put);
        return node.toString();
    }

    private static JsonNode page(SummaryService service, String query) throws IOException {
        SummaryResponse response = service.answer("GET", "/search", query, Map.of());
        assertThat(response.status()).as(query + " " + response.bodyText()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** {@code sql/search.sql} as the Athena adapter sends it: each value an execution parameter (a literal). */
    private List<SearchRow> searchOnTrino(BoundSearch search) {
        String statement = "EXECUTE IMMEDIATE " + SqlLiteral.quote(search.sqlFor(TABLE)) + " USING "
                + search.parameters().stream().map(SqlLiteral::quote).collect(Collectors.joining(", "));
        List<SearchRow> rows = new ArrayList<>();
        try {
            for (List<JsonNode> row : trino.query(statement)) {
                JsonNode attributes = row.get(5);
                rows.add(new SearchRow(LocalDateTime.parse(row.get(0).asText().replace(' ', 'T'))
                        .toInstant(ZoneOffset.UTC), row.get(1).asText(), row.get(2).asText(), row.get(3).asText(),
                        row.get(4).asText(), attributes.isNull() ? Map.of() : attributes.isTextual()
                                ? JSON.readValue(attributes.asText(), STRING_MAP)
                                : JSON.convertValue(attributes, STRING_MAP)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** As Athena runs a statement with {@code ExecutionParameters}: each {@code ?} bound to its literal text. */
    private List<List<Object>> onTrino(BoundQuery bound) throws IOException, InterruptedException {
        String sql = bound.sqlFor(TABLE);
        String statement = "EXECUTE IMMEDIATE " + SqlLiteral.quote(sql)
                + (bound.parameters().isEmpty() ? "" : " USING " + String.join(", ", bound.parameterLiterals()));
        List<List<Object>> rows = new ArrayList<>();
        for (List<JsonNode> row : trino.query(statement)) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                JsonNode value = row.get(i);
                values.add(switch (bound.query().columns().get(i).type()) {
                    case VARCHAR -> value.asText();
                    case BIGINT -> value.asLong();
                    // timestamp(3) comes as "2026-03-01 23:00:00.000", UTC (the session's time zone).
                    case HOUR -> LocalDateTime.parse(value.asText().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                });
            }
            rows.add(values);
        }
        return rows;
    }
}
