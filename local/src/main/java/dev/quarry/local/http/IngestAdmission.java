package dev.quarry.local.http;

import dev.quarry.local.ingest.Pipeline;
import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import dev.quarry.record.InvalidRecordsException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What both ingest routes ({@code POST /logs}, {@code POST /v1/logs}) do alike, decided here once and rendered in the
 * route's own error format ({@link ProblemAnswer}): the API key ({@code QUARRY_API_KEY} in {@code x-api-key}, a guard
 * route ahead of the route, as the reader key is), the body within its limit (a 413 closes the connection, so the
 * rest of the body is not read as a request), and the pipeline's failures as 503s that say when to retry.
 */
final class IngestAdmission {
    private static final Logger LOG = Logger.getLogger(IngestAdmission.class);
    static final String API_KEY_HEADER = "x-api-key";

    private final ProblemAnswer answer;
    private final String ingesting;

    /** {@code ingesting} says what the route takes, for the log line of an unexpected failure. */
    IngestAdmission(ProblemAnswer answer, String ingesting) {
        this.answer = answer;
        this.ingesting = ingesting;
    }

    /** The API-key guard on {@code POST path}, when a key is set; add it before the route itself. */
    void guardKey(Router router, String path, Optional<String> apiKey) {
        apiKey.map(KeyGuard::new).ifPresent(key -> router.post(path).handler(key.guard(
                ctx -> ctx.request().getHeader(API_KEY_HEADER),
                ctx -> answer.send(ctx, Problem.of(ProblemType.FORBIDDEN,
                        "A valid API key is required in the x-api-key header")),
                RoutingContext::next)));
    }

    /** Reads the body within {@code limit} and hands it on; a refused body is answered here. */
    void readBody(RoutingContext ctx, int limit, String limitText, Consumer<byte[]> then) {
        RequestBody.read(ctx, limit, limitText).onComplete(read -> {
            if (read.succeeded()) {
                then.accept(read.result());
            } else if (read.cause() instanceof RequestBody.RefusedException refused) {
                if (refused.type() == ProblemType.PAYLOAD_TOO_LARGE) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
                answer.send(ctx, refused.problem());
            } else {
                LOG.debugf("Reading a request body failed: %s", read.cause().toString());
            }
        });
    }

    /**
     * Waits for the pipeline to make the records durable, then, back on the request's event loop, {@code stored}
     * answers; a failure is answered here. Called on that event loop.
     */
    <T> void whenStored(RoutingContext ctx, CompletionStage<T> pipeline, Consumer<T> stored) {
        Context context = Vertx.currentContext();
        pipeline.whenComplete((result, failure) -> context.runOnContext(v -> {
            if (failure == null) {
                stored.accept(result);
            } else {
                failed(ctx, failure);
            }
        }));
    }

    private void failed(RoutingContext ctx, Throwable failure) {
        if (failure instanceof InvalidRecordsException invalid) {
            answer.send(ctx, Problem.invalidRecords(invalid));
        } else if (failure instanceof Pipeline.UnavailableException unavailable) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
            answer.send(ctx, Problem.of(ProblemType.UNAVAILABLE,
                    unavailable.getMessage() + "; nothing was stored, retry later"));
        } else {
            // The cause (a file name, an errno text) is for the operator, not the client: the write-ahead log
            // has logged it.
            if (failure instanceof IOException) {
                LOG.debugf("Records not made durable: %s", failure);
            } else {
                LOG.error("Unexpected failure while " + ingesting, failure);
            }
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
            answer.send(ctx, Problem.of(ProblemType.NOT_DURABLE,
                    "The records could not be written to disk; nothing was acknowledged, retry later"));
        }
    }
}
