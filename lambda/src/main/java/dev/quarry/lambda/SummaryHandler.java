package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.quarry.athena.QueryStats;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code QUARKUS_LAMBDA_HANDLER=summary}: {@code GET /summary/{query}} and {@code GET /search} through a function URL (payload format 2.0,
 * behind CloudFront), answered by the core's {@link SummaryService} on Athena, exactly as the local server answers
 * on DuckDB: same validation, JSON, ETag and 304, Cache-Control; the body is UTF-8 text, never base64.
 *
 * <p>Only GET is allowed: any other method, HEAD included (as on the local server), is 405 with {@code Allow: GET}.
 * A path other than {@code /summary/{query}} or {@code /search} is 404. Each answer is logged once, with the request id, the status, the
 * handler's own time ({@code handlerMicros}) and, when a query ran, its Athena id, state, bytes scanned and engine time
 * (MDC fields of the JSON log line, for CloudWatch Logs Insights).
 */
@Named(SummaryHandler.NAME)
public class SummaryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String NAME = "summary";
    private static final Logger LOG = Logger.getLogger(SummaryHandler.class);

    private final SummaryService service;
    private final AthenaEngines engines;
    private final InvocationDeadline deadline;

    @Inject
    public SummaryHandler(SummaryService service, AthenaEngines engines, InvocationDeadline deadline) {
        this.service = service;
        this.engines = engines;
        this.deadline = deadline;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(PartitionHandler.REQUEST_ID, context.getAwsRequestId());
        }
        deadline.begin(context);
        engines.takeStats();
        try {
            long started = System.nanoTime();
            String method = event == null || event.getRequestContext() == null
                    || event.getRequestContext().getHttp() == null ? null
                    : event.getRequestContext().getHttp().getMethod();
            SummaryResponse response = service.answer(method,
                    event == null ? null : event.getRawPath(), event == null ? null : event.getRawQueryString(),
                    event == null ? null : event.getHeaders());
            MDC.put("handlerMicros", Long.toString((System.nanoTime() - started) / 1000));
            log(event, response, engines.takeStats());
            return toResponse(response);
        } finally {
            deadline.end();
            MDC.remove(PartitionHandler.REQUEST_ID);
        }
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
}
