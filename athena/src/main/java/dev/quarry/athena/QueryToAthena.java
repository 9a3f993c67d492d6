package dev.quarry.athena;

import dev.quarry.sql.SqlLiteral;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.CannedQuery;
import java.time.LocalDate;
import java.util.List;
import software.amazon.awssdk.services.athena.model.ResultReuseByAgeConfiguration;
import software.amazon.awssdk.services.athena.model.ResultReuseConfiguration;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/** A bound canned query as Athena's {@code StartQueryExecution} request: pure mappings, no I/O. */
final class QueryToAthena {
    /** Result reuse for a range that still grows: as long as a cache may keep the answer (its {@code max-age}). */
    static final int OPEN_REUSE_MINUTES = reuseMinutes(CachePolicy.RangeAge.OPEN);
    /** For a closed range: as long as CloudFront keeps it (its {@code s-maxage}). */
    static final int CLOSED_REUSE_MINUTES = reuseMinutes(CachePolicy.RangeAge.CLOSED);

    private QueryToAthena() {
    }

    static StartQueryExecutionRequest request(BoundQuery query, AthenaConfig config, LocalDate today) {
        int reuseMinutes = resultReuseMinutes(query.to(), today, config.resultReuseMaxAgeMinutes());
        ResultReuseByAgeConfiguration byAge = reuseMinutes == 0
                ? ResultReuseByAgeConfiguration.builder().enabled(false).build()
                : ResultReuseByAgeConfiguration.builder().enabled(true).maxAgeInMinutes(reuseMinutes).build();
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                .queryString(sql(query, config))
                .workGroup(config.workgroup())
                .queryExecutionContext(context -> context.database(config.database()))
                .resultReuseConfiguration(ResultReuseConfiguration.builder().resultReuseByAgeConfiguration(byAge).build());
        List<String> parameters = executionParameters(query.parameters());
        if (!parameters.isEmpty()) {
            // Athena refuses an empty ExecutionParameters list (minimum 1 member).
            request.executionParameters(parameters);
        }
        return request.build();
    }

    /** The SQL with the table reference in place; every token must be gone (the limit was written in by binding). */
    static String sql(BoundQuery query, AthenaConfig config) {
        String sql = query.sqlFor(tableReference(config));
        if (sql.contains(CannedQuery.LIMIT_TOKEN) || sql.contains("{{")) {
            throw new IllegalStateException("Cannot send " + query.query().queryName() + " to Athena, because its SQL"
                    + " still holds a {{...}} token");
        }
        return sql;
    }

    /** {@code "database"."table"}: quoted, so that names Athena reserves (or with '-') still work. */
    static String tableReference(AthenaConfig config) {
        return '"' + config.database() + "\".\"" + config.table() + '"';
    }

    /** One SQL literal per value, in order, as {@code ExecutionParameters} take them. */
    static List<String> executionParameters(List<?> values) {
        return values.stream().map(QueryToAthena::literal).toList();
    }

    /**
     * A value as Athena's execution parameters take it: SQL literal text, a string single-quoted with inner quotes
     * doubled ({@code o'brien} as {@code 'o''brien'}), an integer as its digits.
     */
    static String literal(Object value) {
        if (value instanceof String text) {
            return SqlLiteral.quote(text);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        throw new IllegalArgumentException("Cannot pass a " + (value == null ? "null" : value.getClass().getName())
                + " to Athena, because execution parameters here are strings or integers");
    }

    /**
     * How long Athena may answer with an earlier result of the same query: no longer than a cache keeps the answer
     * (the {@link CachePolicy} of the range), capped by {@code maxMinutes}. A final range cannot change any more, so
     * it takes the cap (at most Athena's 7 days).
     */
    static int resultReuseMinutes(LocalDate to, LocalDate today, int maxMinutes) {
        int minutes = switch (CachePolicy.rangeAge(to, today)) {
            case FINAL -> AthenaConfig.MAX_RESULT_REUSE_MINUTES;
            case CLOSED -> CLOSED_REUSE_MINUTES;
            case OPEN -> OPEN_REUSE_MINUTES;
        };
        return Math.min(minutes, maxMinutes);
    }

    /** How long a shared cache keeps a range's answer fresh, in whole minutes: Athena reuses by the minute. */
    private static int reuseMinutes(CachePolicy.RangeAge age) {
        return Math.toIntExact(age.fresh().toMinutes());
    }
}
