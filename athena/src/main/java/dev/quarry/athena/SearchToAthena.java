package dev.quarry.athena;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.search.BoundSearch;
import dev.quarry.search.SearchRow;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine.QueryFailedException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.ResultReuseByAgeConfiguration;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/** {@code sql/search.sql} as Athena's {@code StartQueryExecution}, and its result rows as search rows: pure mappings. */
final class SearchToAthena {
    static final String NAME = "search";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final CannedQuery.Column TIMESTAMP = new CannedQuery.Column("timestamp",
            CannedQuery.ColumnType.HOUR);
    private static final List<String> COLUMNS = List.of("timestamp", "dt", "source", "logtype", "message",
            "attributes");

    private SearchToAthena() {
    }

    /**
     * Every value an execution parameter (a quoted string literal); result reuse only for a closed range, for as
     * long as a closed summary's (an open range may be cached 10 s at most, shorter than Athena's one-minute
     * minimum, so it is never reused). The workgroup's scan cutoff bounds what it may cost.
     */
    static StartQueryExecutionRequest request(BoundSearch search, AthenaConfig config, LocalDate today) {
        int reuseMinutes = search.closed()
                ? QueryToAthena.resultReuseMinutes(search.lastDay(), today, config.resultReuseMaxAgeMinutes()) : 0;
        ResultReuseByAgeConfiguration byAge = reuseMinutes == 0
                ? ResultReuseByAgeConfiguration.builder().enabled(false).build()
                : ResultReuseByAgeConfiguration.builder().enabled(true).maxAgeInMinutes(reuseMinutes).build();
        String sql = search.sqlFor(QueryToAthena.tableReference(config));
        if (sql.contains("{{")) {
            throw new IllegalStateException("Cannot send search to Athena, because its SQL still holds a {{...}} token");
        }
        return StartQueryExecutionRequest.builder()
                .queryString(sql)
                .workGroup(config.workgroup())
                .queryExecutionContext(context -> context.database(config.database()))
                .resultReuseConfiguration(reuse -> reuse.resultReuseByAgeConfiguration(byAge))
                .executionParameters(QueryToAthena.executionParameters(search.parameters()))
                .build();
    }

    /**
     * Athena's rows (every value text): the timestamp as {@code 2026-11-26 10:00:00.123} (UTC), the attributes as
     * the JSON text of {@code CAST(attributes AS JSON)}, NULL attributes as none.
     */
    static List<SearchRow> rows(List<ColumnInfo> columns, List<Row> rows) throws QueryFailedException {
        if (columns == null || columns.size() != COLUMNS.size()) {
            throw new QueryFailedException("Cannot read the result of search, because Athena returned "
                    + (columns == null ? 0 : columns.size()) + " columns for " + COLUMNS.size(), null);
        }
        List<SearchRow> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<Datum> data = row.data();
            if (data.size() != COLUMNS.size()) {
                throw new QueryFailedException("Cannot read a row of search, because it has " + data.size()
                        + " values for " + COLUMNS.size() + " columns", null);
            }
            String timestamp = data.get(0).varCharValue();
            String attributes = data.get(5).varCharValue();
            try {
                result.add(new SearchRow(
                        (Instant) AthenaToRows.value(TIMESTAMP, columns.get(0).type(), timestamp),
                        data.get(1).varCharValue(), data.get(2).varCharValue(), data.get(3).varCharValue(),
                        data.get(4).varCharValue(),
                        attributes == null ? Map.of() : JSON.readValue(attributes, STRING_MAP)));
            } catch (JsonProcessingException | DateTimeException | NullPointerException e) {
                throw new QueryFailedException("Cannot read a row of search, because " + e.getMessage(), e);
            }
        }
        return result;
    }
}
