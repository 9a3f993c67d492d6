package dev.quarry.local;

import dev.quarry.problem.Problem;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The server's edges that no route owns: every answer is problem JSON (unknown paths, wrong methods, limits),
 * and a SIGTERM drains the server instead of cutting it off.
 *
 * <p>Limits: the URI and the headers are checked here, below Netty's own (higher) limits set in
 * {@code application.properties}, so that an over-long request gets a problem body; Netty answers with an empty
 * body only requests it cannot parse at all (docs/ingest.md lists them).
 *
 * <p>Draining: on shutdown, new requests get 503 {@code unavailable} with {@code Retry-After}, while every request
 * already routed is answered for real before the pipeline flushes.
 */
@ApplicationScoped
public class HttpEdges {
    private static final Logger LOG = Logger.getLogger(HttpEdges.class);
    /** RFC 9110 section 4.1 recommends supporting request targets of at least 8000 octets. */
    static final int MAX_URI_LENGTH = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** No route takes a body this large; {@code /logs} has its own, smaller limit. */
    static final long MAX_CONTENT_LENGTH = 10L * 1024 * 1024;

    @Inject
    LocalConfig config;

    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean draining;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::admit);
        router.route().last().handler(ctx -> IngestRoute.send(ctx, notFound(ctx)));
        router.errorHandler(400, ctx -> IngestRoute.send(ctx, Problem.of("bad-request", "Bad Request", 400,
                "The request cannot be read")));
        router.errorHandler(404, ctx -> IngestRoute.send(ctx, notFound(ctx)));
        router.errorHandler(405, ctx -> IngestRoute.send(ctx, Problem.of("method-not-allowed", "Method Not Allowed",
                405, ctx.request().method() + " is not allowed on this path")));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                LOG.errorf(ctx.failure(), "Unexpected failure answering %s %s", ctx.request().method(),
                        ctx.normalizedPath());
            }
            IngestRoute.send(ctx, Problem.of("internal-error", "Internal Server Error", 500,
                    "The request failed unexpectedly; see the server log"));
        });
    }

    private static Problem notFound(RoutingContext ctx) {
        return Problem.of("not-found", "Not Found", 404, "Nothing is served at this path; the API is POST /logs and"
                + " GET /summary/{query}");
    }

    private void admit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (draining) {
            refuseWhileDraining(ctx);
            return;
        }
        if (request.uri().length() > MAX_URI_LENGTH) {
            close(ctx, Problem.of("uri-too-long", "URI Too Long", 414,
                    "The request target must be at most " + MAX_URI_LENGTH + " characters"));
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            close(ctx, Problem.of("headers-too-large", "Request Header Fields Too Large", 431,
                    "The headers must be at most " + MAX_HEADER_BYTES + " bytes together"));
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > MAX_CONTENT_LENGTH) {
            close(ctx, Problem.of("payload-too-large", "Content Too Large", 413,
                    "No request body may exceed " + MAX_CONTENT_LENGTH + " bytes (10 MiB); POST /logs takes 1 MiB"));
            return;
        }
        active.incrementAndGet();
        ctx.addEndHandler(done -> active.decrementAndGet());
        ctx.next();
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Answers without reading a body that may follow, and closes the connection so it is not read as a request. */
    private static void close(RoutingContext ctx, Problem problem) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        IngestRoute.send(ctx, problem);
    }

    /** Reads (and drops) the body before answering, so the client is not reset while it is still sending. */
    private static void refuseWhileDraining(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Runnable answer = () -> {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5").putHeader(HttpHeaders.CONNECTION, "close");
            IngestRoute.send(ctx, Problem.of("unavailable", "Service Unavailable", 503,
                    "The server is shutting down; nothing was stored, retry later"));
        };
        if (request.isEnded()) {
            answer.run();
            return;
        }
        request.handler(chunk -> { });
        request.endHandler(end -> answer.run());
        request.exceptionHandler(e -> answer.run());
        request.resume();
    }

    /**
     * First step of a shutdown, before Quarkus closes the HTTP server (which it does before {@link ShutdownEvent}):
     * refuse new requests, and let those already routed be answered. Quarkus fires this event in its pre-shutdown
     * phase when {@code quarkus.shutdown.delay-enabled} is set (application.properties; "Graceful shutdown" in
     * https://quarkus.io/guides/lifecycle). Quarkus's own graceful shutdown ({@code quarkus.shutdown.timeout})
     * would answer new requests with an empty 503 instead of problem JSON.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** In case the pre-shutdown phase did not run (a failed start): the pipeline must not take more records. */
    void drainLate(@Observes @Priority(1) ShutdownEvent event) {
        drain();
    }

    private synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        try {
            while (active.get() > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (active.get() > 0) {
            LOG.warnf("%d request(s) still unanswered after %s; stopping anyway", active.get(),
                    config.shutdownTimeout());
        }
    }

    boolean isDraining() {
        return draining;
    }
}
