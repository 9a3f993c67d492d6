package dev.quarry.summary;

import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import dev.quarry.search.SearchEngine;
import dev.quarry.search.SearchService;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /summary/{query}} and {@code GET /search} ({@link SearchService}) without a transport: the one mapping from a request (method, raw path, raw query
 * string, headers) to its answer, which the local server and the Lambda function URL both send as it is. It validates
 * the parameters, runs the canned query on the engine, and answers with JSON, an entity tag and a
 * {@code Cache-Control} by the age of the range (and the retention), or 304 when the client's tag still matches;
 * problems (400, 404, 405, 500, 503) are answered with {@code Cache-Control: no-store}.
 */
public final class SummaryService {
    private static final Logger LOG = Logger.getLogger(SummaryService.class.getName());
    public static final String PREFIX = "/summary/";

    private final QueryEngine engine;
    private final Clock clock;
    private final CachePolicy cachePolicy;
    private final SearchService search;

    /** Keeping every day for ever. */
    public SummaryService(QueryEngine engine, Clock clock) {
        this(engine, clock, CachePolicy.keepingEverything());
    }

    /** Without {@code /search} (answered 404). */
    public SummaryService(QueryEngine engine, Clock clock, CachePolicy cachePolicy) {
        this(engine, null, clock, cachePolicy);
    }

    /** @param searchEngine runs {@code /search}; null answers it 404 */
    public SummaryService(QueryEngine engine, SearchEngine searchEngine, Clock clock, CachePolicy cachePolicy) {
        this.engine = engine;
        this.clock = clock;
        this.cachePolicy = cachePolicy;
        this.search = searchEngine == null ? null : new SearchService(searchEngine, clock, cachePolicy);
    }

    /**
     * The answer to one request. Never throws: an unexpected failure is logged and answered 500.
     *
     * @param method as sent; only {@code GET} is answered (any other, {@code HEAD} included, is 405 with
     *     {@code Allow: GET})
     * @param rawPath the path as sent, still percent-encoded: {@code /summary/{query}}; any other is 404
     * @param rawQuery the query string as sent, without {@code ?}; null or empty for none
     * @param headers request headers; names are compared without case
     */
    public SummaryResponse answer(String method, String rawPath, String rawQuery, Map<String, String> headers) {
        try {
            if (!"GET".equals(method)) {
                return Answers.problem(Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                        method + " is not allowed on " + (SearchService.PATH.equals(rawPath) ? rawPath
                                : "/summary/{query}") + "; use GET"), Map.of("Allow", "GET"));
            }
            if (SearchService.PATH.equals(rawPath)) {
                if (search == null) {
                    return Answers.problem(Problem.of(ProblemType.NOT_FOUND,
                            "This server has no engine for /search"), Map.of());
                }
                return search.answer(QueryString.decode(rawQuery), header(headers, "If-None-Match"));
            }
            Optional<String> queryName = queryName(rawPath);
            if (queryName.isEmpty()) {
                return Answers.problem(Problem.of(ProblemType.UNKNOWN_QUERY,
                        "Name a summary: /summary/{query}, where query is one of " + CannedQuery.names()), Map.of());
            }
            return handle(queryName.get(), QueryString.decode(rawQuery), header(headers, "If-None-Match"));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Unexpected failure while answering a summary", e);
            return internalError();
        }
    }

    /** 500, for a transport that failed around {@link #answer} (whose own failures are answered so already). */
    public static SummaryResponse internalError() {
        return Answers.problem(Problem.of(ProblemType.INTERNAL_ERROR,
                "The summary failed unexpectedly; see the server's log"), Map.of());
    }

    /** 503 with {@code Retry-After}, for a transport that has no room for another summary now. */
    public static SummaryResponse busy(int retryAfterSeconds) {
        return Answers.problem(Problem.of(ProblemType.UNAVAILABLE,
                "Too many summaries are waiting; retry later"), Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /**
     * The {@code {query}} of {@code /summary/{query}}, percent-decoded ({@code +} stays a plus in a path); empty for
     * any other path ({@code /summary}, {@code /summary/}, {@code /summary/a/b}) or a segment that is not validly
     * encoded.
     */
    static Optional<String> queryName(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String segment = rawPath.substring(PREFIX.length());
        if (segment.isEmpty() || segment.indexOf('/') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(QueryString.decodeComponent(segment, false));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String value = headers.get(name);
        if (value != null) {
            return value;
        }
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /**
     * A summary from parameters already decoded (benchmarks, engine tests): the part of {@link #answer} after the
     * method, path and query string were read. Unlike {@link #answer}, an unexpected failure is thrown.
     *
     * @param queryName the {@code {query}} path segment, decoded
     * @param parameters each name with all its values
     * @param ifNoneMatch the {@code If-None-Match} header, or null
     */
    public SummaryResponse handle(String queryName, Map<String, List<String>> parameters, String ifNoneMatch) {
        return handle(queryName, QueryString.of(parameters), ifNoneMatch);
    }

    private SummaryResponse handle(String queryName, QueryString parameters, String ifNoneMatch) {
        Optional<CannedQuery> query = CannedQuery.byName(queryName);
        if (query.isEmpty()) {
            return Answers.problem(Problem.of(ProblemType.UNKNOWN_QUERY, "There is no summary '" + queryName
                    + "'; the summaries are " + CannedQuery.names()), Map.of());
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        SummaryRequest request;
        try {
            request = SummaryRequest.parse(query.get(), parameters, today);
        } catch (SummaryRequest.InvalidParametersException e) {
            return Answers.problem(Answers.invalidParameters(e), Map.of());
        }
        List<List<Object>> rows;
        try {
            rows = engine.run(request.bind());
        } catch (QueryEngine.QueryFailedException e) {
            // One line: the engine's message says what failed ("Cannot X, because Y"); the trace only at FINE.
            LOG.warning("The summary " + queryName + " failed: " + e.getMessage());
            LOG.log(Level.FINE, "The summary " + queryName + " failed", e);
            // The engine's message stays in the log: it may name files, buckets or query ids.
            return Answers.problem(Problem.of(ProblemType.QUERY_FAILED,
                    "The summary could not be computed now; retry later"), Map.of("Retry-After", Answers.RETRY_AFTER_SECONDS));
        }
        byte[] content = SummaryToJson.content(request, rows);
        String etag = EntityTags.of(content);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", cachePolicy.cacheControl(request.from(), request.to(), now));
        headers.put("ETag", etag);
        if (EntityTags.noneMatchHits(ifNoneMatch, etag)) {
            return new SummaryResponse(304, headers, new byte[0]);
        }
        headers.put("Content-Type", Answers.JSON);
        return new SummaryResponse(200, headers, SummaryToJson.body(content, now));
    }
}
