package dev.quarry.local.http;

import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** A path that takes one method: its route, then 405 with {@code Allow} for any other method on the path. */
final class OneMethod {
    private OneMethod() {
    }

    /** Adds {@code handler} for {@code method} on {@code path}, and the 405 after it, in the route's own format. */
    static void route(Router router, HttpMethod method, String path, Handler<RoutingContext> handler,
            ProblemAnswer answer) {
        router.route(method, path).handler(handler);
        router.route(path).handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, method.name());
            answer.send(ctx, Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                    ctx.request().method() + " is not allowed on " + path + "; use " + method.name()));
        });
    }
}
