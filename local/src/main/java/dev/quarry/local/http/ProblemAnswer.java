package dev.quarry.local.http;

import dev.quarry.problem.Problem;
import io.vertx.ext.web.RoutingContext;

/**
 * How a route puts a problem on the wire: problem JSON ({@link ProblemResponse#send}) everywhere but
 * {@code /v1/logs}, whose errors are {@code google.rpc.Status} as OTLP requires ({@link OtlpRoute}). The guards and
 * the ingest admission decide the problem once; the route's answer renders it.
 */
@FunctionalInterface
interface ProblemAnswer {
    void send(RoutingContext ctx, Problem problem);
}
