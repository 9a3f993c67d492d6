package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.quarry.athena.AthenaQueryEngine;
import dev.quarry.athena.QueryStats;
import dev.quarry.problem.Problem;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code QUARKUS_LAMBDA_HANDLER=summary}: {@code GET /summary/{query}} through a function URL (payload format 2.0,
 * behind CloudFront), answered by the core's {@link SummaryService} on Athena, exactly as the local server answers
 * on DuckDB: same validation, JSON, ETag and 304, Cache-Control; the body is UTF-8 text, never base64.
 *
 * <p>Only GET is allowed: any other method, HEAD included (as on the local server), is 405 with {@code Allow: GET}.
 * A path other than {@code /summary/{query}} is 404. Each answer is logged once, with the request id, the status, the
 * handler's own time ({@code handlerMicros}) and, when a query ran, its Athena id, state, bytes scanned and engine time
 * (MDC fields of the JSON log line, for CloudWatch Logs Insights).
 */
@Named(SummaryHandler.NAME)
public class SummaryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String NAME = "summary";
    private static final Logger LOG = Logger.getLogger(SummaryHandler.class);

    private final Instance<AthenaQueryEngine> engines;
    private final InvocationDeadline deadline;

    @Inject
    public SummaryHandler(Instance<AthenaQueryEngine> engines, InvocationDeadline deadline) {
        this.engines = engines;
        this.deadline = deadline;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(PartitionHandler.REQUEST_ID, context.getAwsRequestId());
        }
        deadline.begin(context);
        try {
            long started = System.nanoTime();
            AtomicReference<QueryStats> ran = new AtomicReference<>();
            SummaryResponse response = answer(event, ran);
            MDC.put("handlerMicros", Long.toString((System.nanoTime() - started) / 1000));
            log(event, response, Optional.ofNullable(ran.get()));
            return toResponse(response);
        } finally {
            deadline.end();
            MDC.remove(PartitionHandler.REQUEST_ID);
        }
    }

    private SummaryResponse answer(APIGatewayV2HTTPEvent event, AtomicReference<QueryStats> ran) {
        String method = event == null || event.getRequestContext() == null
                || event.getRequestContext().getHttp() == null ? null : event.getRequestContext().getHttp().getMethod();
        if (!"GET".equals(method)) {
            return problem(Problem.of("method-not-allowed", "Method Not Allowed", 405,
                    method + " is not allowed on /summary/{query}; use GET"), Map.of("Allow", "GET"));
        }
        Optional<String> query = FunctionUrlRequests.queryName(event.getRawPath());
        if (query.isEmpty()) {
            return problem(Problem.of("unknown-query", "Not Found", 404,
                    "Name a summary: /summary/{query}, where query is one of " + CannedQuery.names()), Map.of());
        }
        Map<String, List<String>> parameters;
        try {
            parameters = FunctionUrlRequests.parameters(event.getRawQueryString(), event.getQueryStringParameters());
        } catch (IllegalArgumentException e) {
            return problem(Problem.of("invalid-parameters", "Bad Request", 400,
                    "The query string cannot be decoded: " + e.getMessage()), Map.of());
        }
        String ifNoneMatch = FunctionUrlRequests.header(event.getHeaders(), "If-None-Match");
        try {
            return new SummaryService(recording(ran), Clock.systemUTC()).handle(query.get(), parameters, ifNoneMatch);
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure while answering a summary", e);
            return problem(Problem.of("internal-error", "Internal Server Error", 500,
                    "The summary failed unexpectedly; see the function's log"), Map.of());
        }
    }

    /**
     * The engine, looked up when a query is to run: the singleton (and its AthenaClient) is made on first use, once per
     * container. Keeps the statistics of the query this invocation ran, if it ran one that Athena accepted.
     */
    private QueryEngine recording(AtomicReference<QueryStats> ran) {
        return bound -> {
            AthenaQueryEngine engine = engines.get();
            QueryStats before = engine.lastStats().orElse(null);
            try {
                return engine.run(bound);
            } finally {
                QueryStats after = engine.lastStats().orElse(null);
                if (after != before) {
                    ran.set(after);
                }
            }
        };
    }

    private void log(APIGatewayV2HTTPEvent event, SummaryResponse response, Optional<QueryStats> ran) {
        MDC.put("status", Integer.toString(response.status()));
        ran.ifPresent(stats -> {
            MDC.put("athenaQueryId", stats.queryExecutionId());
            MDC.put("athenaState", stats.state());
            MDC.put("scannedBytes", Long.toString(stats.dataScannedInBytes()));
            MDC.put("engineMillis", Long.toString(stats.engineExecutionTimeInMillis()));
            MDC.put("reusedResult", Boolean.toString(stats.reusedPreviousResult()));
        });
        try {
            String path = event == null ? null : event.getRawPath();
            String query = event == null || event.getRawQueryString() == null || event.getRawQueryString().isEmpty()
                    ? "" : "?" + event.getRawQueryString();
            LOG.infof("Answered %s%s with %d%s", path, query, response.status(), ran.map(stats -> " (Athena query "
                    + stats.queryExecutionId() + ": " + stats.dataScannedInBytes() + " bytes scanned, "
                    + stats.engineExecutionTimeInMillis() + " ms engine time)").orElse(""));
        } finally {
            for (String key : List.of("status", "handlerMicros", "athenaQueryId", "athenaState", "scannedBytes", "engineMillis",
                    "reusedResult")) {
                MDC.remove(key);
            }
        }
    }

    static APIGatewayV2HTTPResponse toResponse(SummaryResponse response) {
        APIGatewayV2HTTPResponse result = new APIGatewayV2HTTPResponse();
        result.setStatusCode(response.status());
        result.setHeaders(new LinkedHashMap<>(response.headers()));
        result.setBody(response.body().length == 0 ? null : response.bodyText());
        result.setIsBase64Encoded(false);
        return result;
    }

    private static SummaryResponse problem(Problem problem, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.putAll(extraHeaders);
        headers.put("Content-Type", Problem.MEDIA_TYPE);
        headers.put("Cache-Control", CachePolicy.NO_STORE);
        return new SummaryResponse(problem.status(), headers, problem.toJson());
    }
}
