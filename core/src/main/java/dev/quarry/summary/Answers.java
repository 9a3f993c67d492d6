package dev.quarry.summary;

import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the summary and search answers share: their media type, the problem answers, and the wait after a failure. */
public final class Answers {
    public static final String JSON = "application/json";
    /** Seconds a client should wait after the engine failed; Athena's own throttling clears in seconds. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private Answers() {
    }

    /** 400 naming each parameter refused (a summary's, or another route's that follows the same rules). */
    public static Problem invalidParameters(SummaryRequest.InvalidParametersException e) {
        List<Map<String, String>> errors = e.violations().stream().map(v -> {
            Map<String, String> error = new LinkedHashMap<>();
            if (v.parameter() != null) {
                error.put("parameter", v.parameter());
            }
            error.put("detail", v.detail());
            return error;
        }).toList();
        return Problem.of(ProblemType.INVALID_PARAMETERS, e.getMessage()).with("errors", errors);
    }

    /** A problem answer: problem JSON, never stored by a cache. */
    public static SummaryResponse problem(Problem problem, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", Problem.MEDIA_TYPE);
        headers.put("Cache-Control", CachePolicy.NO_STORE);
        return new SummaryResponse(problem.status(), headers, problem.toJson());
    }
}
