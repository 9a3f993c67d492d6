package dev.quarry.local;

import dev.quarry.duckdb.DuckDbQueryEngine;
import dev.quarry.problem.Problem;
import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * {@code GET /summary/{query}}: the summary contract over HTTP, answered by the core's {@link SummaryService} on
 * DuckDB. Queries run on their own small pool, off the event loop; when it is full the answer is 503.
 */
@ApplicationScoped
public class SummaryRoute {
    private static final Logger LOG = Logger.getLogger(SummaryRoute.class);
    static final String PATH = "/summary/:query";
    /** DuckDB parallelises each query over the processors itself; a few at once keep the machine responsive. */
    private static final int QUERY_THREADS = 4;
    /** Summaries waiting for a thread; beyond this the server answers 503 with Retry-After. */
    private static final int MAX_PENDING = 64;

    @Inject
    LocalConfig config;

    private DuckDbQueryEngine engine;
    private SummaryService service;
    private ThreadPoolExecutor queries;

    void register(@Observes Router router) {
        try {
            engine = new DuckDbQueryEngine(config.dataDir().toAbsolutePath().normalize().resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new SummaryService(engine, Clock.systemUTC());
        AtomicInteger count = new AtomicInteger();
        queries = new ThreadPoolExecutor(QUERY_THREADS, QUERY_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING), runnable -> {
                    Thread thread = new Thread(runnable, "quarry-summary-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });

        router.get(PATH).handler(this::handle);
        router.route(PATH).handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, "GET");
            IngestRoute.send(ctx, Problem.of("method-not-allowed", "Method Not Allowed", 405,
                    ctx.request().method() + " is not allowed on /summary/{query}; use GET"));
        });
        router.route("/summary").handler(ctx -> IngestRoute.send(ctx, Problem.of("unknown-query", "Not Found", 404,
                "Name a summary: /summary/{query}, where query is one of " + CannedQuery.names())));
    }

    private void handle(RoutingContext ctx) {
        String query = ctx.pathParam("query");
        Map<String, List<String>> parameters;
        try {
            parameters = new QueryStringDecoder(ctx.request().uri(), StandardCharsets.UTF_8).parameters();
        } catch (IllegalArgumentException e) {
            IngestRoute.send(ctx, Problem.of("invalid-parameters", "Bad Request", 400,
                    "The query string cannot be decoded: " + e.getMessage()));
            return;
        }
        String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        Context context = Vertx.currentContext();
        try {
            queries.execute(() -> {
                SummaryResponse response;
                try {
                    response = service.handle(query, parameters, ifNoneMatch);
                } catch (RuntimeException e) {
                    LOG.error("Unexpected failure while answering a summary", e);
                    response = null;
                }
                SummaryResponse answer = response;
                context.runOnContext(v -> {
                    if (answer == null) {
                        IngestRoute.send(ctx, Problem.of("internal-error", "Internal Server Error", 500,
                                "The summary failed unexpectedly; see the server log"));
                    } else {
                        send(ctx, answer);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
            IngestRoute.send(ctx, Problem.of("unavailable", "Service Unavailable", 503,
                    "Too many summaries are waiting; retry later"));
        }
    }

    private static void send(RoutingContext ctx, SummaryResponse answer) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        response.setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        if (answer.body().length == 0) {
            response.end();
        } else {
            response.end(Buffer.buffer(answer.body()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (queries != null) {
            queries.shutdown();
            try {
                queries.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (engine != null) {
            engine.close();
        }
    }
}
