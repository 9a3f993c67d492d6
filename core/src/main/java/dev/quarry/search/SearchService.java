package dev.quarry.search;

import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.EntityTags;
import dev.quarry.summary.QueryEngine.QueryFailedException;
import dev.quarry.summary.QueryString;
import dev.quarry.summary.SummaryRequest.InvalidParametersException;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.Answers;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /search} after the method and path were read ({@code SummaryService.answer} dispatches here, so the
 * local server and the Lambda function answer it from one place): validates, runs {@code sql/search.sql} for one
 * page, and answers JSON with {@code next}, an entity tag and a {@code Cache-Control} by the range's age, or 304.
 */
public final class SearchService {
    private static final Logger LOG = Logger.getLogger(SearchService.class.getName());
    public static final String PATH = "/search";

    private final SearchEngine engine;
    private final Clock clock;
    private final CachePolicy cachePolicy;

    public SearchService(SearchEngine engine, Clock clock, CachePolicy cachePolicy) {
        this.engine = engine;
        this.clock = clock;
        this.cachePolicy = cachePolicy;
    }

    /** @param ifNoneMatch the {@code If-None-Match} header, or null */
    public SummaryResponse answer(QueryString parameters, String ifNoneMatch) {
        Instant now = clock.instant();
        SearchRequest request;
        try {
            request = SearchRequest.parse(parameters, now);
        } catch (InvalidParametersException e) {
            return Answers.problem(Answers.invalidParameters(e), Map.of());
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        boolean closed = CachePolicy.rangeAge(request.lastDay(), today) != CachePolicy.RangeAge.OPEN;
        List<SearchRow> rows;
        try {
            rows = engine.search(SearchSql.bind(request, closed));
        } catch (QueryFailedException e) {
            LOG.warning("The search failed: " + e.getMessage());
            LOG.log(Level.FINE, "The search failed", e);
            return Answers.problem(Problem.of(ProblemType.QUERY_FAILED,
                    "The search could not be run now; retry later"),
                    Map.of("Retry-After", Answers.RETRY_AFTER_SECONDS));
        }
        String next = null;
        if (rows.size() > request.limit()) {
            rows = rows.subList(0, request.limit());
            Instant last = rows.get(rows.size() - 1).timestamp();
            long same = rows.stream().filter(row -> row.timestamp().equals(last)).count();
            next = request.next(last, same).encode();
        }
        byte[] content = SearchToJson.content(request, rows, next);
        String etag = EntityTags.of(content);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", cachePolicy.searchCacheControl(request.firstDay(), request.lastDay(), now));
        headers.put("ETag", etag);
        if (EntityTags.noneMatchHits(ifNoneMatch, etag)) {
            return new SummaryResponse(304, headers, new byte[0]);
        }
        headers.put("Content-Type", Answers.JSON);
        return new SummaryResponse(200, headers, SearchToJson.body(content, now));
    }
}
