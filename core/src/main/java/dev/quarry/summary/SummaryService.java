package dev.quarry.summary;

import dev.quarry.problem.Problem;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /summary/{query}} without a transport: validates the parameters, runs the canned query on the engine,
 * and answers with JSON, an entity tag and a {@code Cache-Control} by the age of the range, or 304 when the client's
 * tag still matches; problems are answered with {@code Cache-Control: no-store}.
 */
public final class SummaryService {
    private static final Logger LOG = Logger.getLogger(SummaryService.class.getName());
    public static final String JSON = "application/json";
    /** Seconds a client should wait after the engine failed; Athena's own throttling clears in seconds. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final QueryEngine engine;
    private final Clock clock;

    public SummaryService(QueryEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * @param queryName the {@code {query}} path segment, decoded
     * @param parameters the query string, decoded, each name with all its values
     * @param ifNoneMatch the {@code If-None-Match} header, or null
     */
    public SummaryResponse handle(String queryName, Map<String, List<String>> parameters, String ifNoneMatch) {
        Optional<CannedQuery> query = CannedQuery.byName(queryName);
        if (query.isEmpty()) {
            return problem(Problem.of("unknown-query", "Not Found", 404, "There is no summary '" + queryName
                    + "'; the summaries are " + CannedQuery.names()), Map.of());
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        SummaryRequest request;
        try {
            request = SummaryRequest.parse(query.get(), parameters, today);
        } catch (SummaryRequest.InvalidParametersException e) {
            return problem(invalidParameters(e), Map.of());
        }
        List<List<Object>> rows;
        try {
            rows = engine.run(request.bind());
        } catch (QueryEngine.QueryFailedException e) {
            LOG.log(Level.WARNING, "The summary " + queryName + " failed: " + e.getMessage(), e);
            // The engine's message stays in the log: it may name files, buckets or query ids.
            return problem(Problem.of("query-failed", "Service Unavailable", 503,
                    "The summary could not be computed now; retry later"), Map.of("Retry-After", RETRY_AFTER_SECONDS));
        }
        byte[] content = SummaryToJson.content(request, rows);
        String etag = EntityTags.of(content);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", CachePolicy.cacheControl(request.to(), today));
        headers.put("ETag", etag);
        if (EntityTags.noneMatchHits(ifNoneMatch, etag)) {
            return new SummaryResponse(304, headers, new byte[0]);
        }
        headers.put("Content-Type", JSON);
        return new SummaryResponse(200, headers, SummaryToJson.body(content, clock.instant()));
    }

    static Problem invalidParameters(SummaryRequest.InvalidParametersException e) {
        List<Map<String, String>> errors = e.violations().stream().map(v -> {
            Map<String, String> error = new LinkedHashMap<>();
            if (v.parameter() != null) {
                error.put("parameter", v.parameter());
            }
            error.put("detail", v.detail());
            return error;
        }).toList();
        return Problem.of("invalid-parameters", "Bad Request", 400, e.getMessage()).with("errors", errors);
    }

    private static SummaryResponse problem(Problem problem, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", Problem.MEDIA_TYPE);
        headers.put("Cache-Control", CachePolicy.NO_STORE);
        headers.putAll(extraHeaders);
        return new SummaryResponse(problem.status(), headers, problem.toJson());
    }
}
