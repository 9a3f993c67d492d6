package dev.quarry.local;

import dev.quarry.search.SearchService;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code /summary}, {@code /summary/*} and {@code /search}: hands the request line and headers to the core's
 * {@link SummaryService#answer}, which answers every request there (405, 404, 400 included) as the Lambda function
 * does, on DuckDB (the engine and service come from {@link LocalBeans}). Queries run on their own small pool, off the event loop; when it is full the answer is 503.
 * A handler placed before these routes on the same paths (a read-key check) runs first.
 */
@ApplicationScoped
public class SummaryRoute {
    static final String PATH = "/summary";
    private static final int BUSY_RETRY_AFTER_SECONDS = 1;

    @Inject
    LocalConfig config;

    @Inject
    SummaryService service;

    private ThreadPoolExecutor queries;

    void register(@Observes Router router) {
        router.route(PATH).handler(this::handle);
        router.route(PATH + "/*").handler(this::handle);
        router.route(SearchService.PATH).handler(this::handle);
    }

    /**
     * DuckDB parallelises each query over the processors itself; a few at once ({@code quarry.summary.query-threads})
     * keep the machine responsive. Built once {@link DataDirectory} has checked the settings (the router is set up
     * before that), and before the port is bound.
     */
    void startQueries(@Observes StartupEvent event) {
        int threads = config.summary().queryThreads();
        queries = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.summary().maxPending()), DaemonThreads.named("quarry-summary"));
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String method = request.method().name();
        String path = request.path();
        String query = request.query();
        Map<String, String> headers = headers(request);
        Context context = Vertx.currentContext();
        try {
            queries.execute(() -> {
                SummaryResponse answer = service.answer(method, path, query, headers);
                context.runOnContext(v -> send(ctx, answer));
            });
        } catch (RejectedExecutionException e) {
            send(ctx, SummaryService.busy(BUSY_RETRY_AFTER_SECONDS));
        }
    }

    /** The request's headers as the core takes them: the first value of each name. */
    static Map<String, String> headers(HttpServerRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(header -> headers.putIfAbsent(header.getKey(), header.getValue()));
        return headers;
    }

    static void send(RoutingContext ctx, SummaryResponse answer) {
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
    }
}
