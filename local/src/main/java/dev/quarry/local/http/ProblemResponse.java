package dev.quarry.local.http;

import dev.quarry.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The one writer of problem JSON (RFC 9457) for the local server: every problem answer goes through here. */
final class ProblemResponse {
    private ProblemResponse() {
    }

    /** Answers with {@code problem}, unless the response has already ended. */
    static void send(RoutingContext ctx, Problem problem) {
        send(ctx.response(), problem);
    }

    /** Answers and closes the connection, so that a body that may follow is not read as the next request. */
    static void close(RoutingContext ctx, Problem problem) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        send(ctx, problem);
    }

    /** For a request no route sees (one the HTTP layer could not parse). */
    static void send(HttpServerResponse response, Problem problem) {
        if (response.ended()) {
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(problem.toJson()));
    }
}
