package dev.quarry.local.http;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import dev.quarry.summary.SummaryService;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The server's edges that no route owns: every answer is problem JSON (unknown paths, wrong methods, limits, requests
 * the HTTP layer cannot read), and a SIGTERM drains the server instead of cutting it off.
 *
 * <p>Limits: the URI and the headers are checked here, below Netty's own (higher) limits set in
 * {@code application.properties}; what Netty cannot parse at all (a request line or headers beyond its limits, a bad
 * or repeated {@code Content-Length}, {@code Content-Length} with {@code Transfer-Encoding}) never reaches a route and
 * is answered by {@link #answerUnparsable}, which {@link HttpLayerHook} installs on every connection.
 *
 * <p>Request targets: Quarkus's own check (an empty 400) is switched off by {@code LocalMain}; {@link #admit} makes
 * it instead, so that a summary request reaches the core (which names the parameter, as on AWS) and any other gets
 * problem JSON.
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
    /** Read once by Quarkus's HTTP recorder (see {@code LocalMain.acceptEveryRequestTarget}). */
    public static final String URI_VALIDATION_PROPERTY = "vertx.disableURIValidation";
    private static final String SUMMARY = SummaryRoute.PATH;
    private static final int MAX_DETAIL_QUOTE = 200;
    private static final String COUNTED = HttpEdges.class.getName() + ".counted";

    @Inject
    LocalConfig config;
    /**
     * Answers summary paths that Vert.x Web cannot route ({@code /summary/%zz}: it cannot normalize them). Such a path
     * names no query, so the core answers 404 or 405 without asking the engine.
     */
    @Inject
    SummaryService summaries;

    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean draining;

    /** Ahead of every route, Quarkus's own ({@code /q/health}, {@code /q/metrics}) included. */
    void registerFirst(Router router) {
        if (!Boolean.getBoolean(URI_VALIDATION_PROPERTY)) {
            LOG.warnf("The JVM property %s is not set (the server was not started through LocalMain): request"
                    + " targets that are not valid URIs get Quarkus's empty 400, not problem JSON",
                    URI_VALIDATION_PROPERTY);
        }
        router.route().order(Integer.MIN_VALUE).handler(this::admit);
    }

    /** After every route: what none of them answered. */
    void registerLast(Router router) {
        router.route().last().handler(ctx -> ProblemResponse.send(ctx, notFound(ctx)));
        router.errorHandler(400, ctx -> ProblemResponse.send(ctx, Problem.of(ProblemType.BAD_REQUEST,
                "The request cannot be read")));
        router.errorHandler(404, ctx -> ProblemResponse.send(ctx, notFound(ctx)));
        router.errorHandler(405, ctx -> ProblemResponse.send(ctx, Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on this path")));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                LOG.errorf(ctx.failure(), "Unexpected failure answering %s %s", ctx.request().method(),
                        ctx.normalizedPath());
            }
            ProblemResponse.send(ctx, Problem.of(ProblemType.INTERNAL_ERROR,
                    "The request failed unexpectedly; see the server log"));
        });
    }

    private static Problem notFound(RoutingContext ctx) {
        return Problem.of(ProblemType.NOT_FOUND, "Nothing is served at this path; the API is POST /logs and"
                + " GET /summary/{query}");
    }

    private void admit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (draining) {
            refuseWhileDraining(ctx);
            return;
        }
        if (request.uri().length() > MAX_URI_LENGTH) {
            ProblemResponse.close(ctx, uriTooLong());
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            ProblemResponse.close(ctx, headersTooLarge());
            return;
        }
        if (!admitTarget(ctx)) {
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > MAX_CONTENT_LENGTH) {
            ProblemResponse.close(ctx, Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "No request body may exceed " + MAX_CONTENT_LENGTH + " bytes (10 MiB); POST /logs takes 1 MiB"));
            return;
        }
        HttpLayerHook.adopt(request.connection());
        AtomicBoolean counted = new AtomicBoolean(true);
        ctx.put(COUNTED, counted);
        active.incrementAndGet();
        ctx.addEndHandler(done -> streaming(ctx));
        ctx.next();
    }

    /**
     * A response that streams until the client or the shutdown ends it (a tail): the drain no longer waits for it,
     * since it would wait out the whole shutdown timeout; the stream's own route ends it after the drain.
     */
    void streaming(RoutingContext ctx) {
        AtomicBoolean counted = ctx.get(COUNTED);
        if (counted != null && counted.getAndSet(false)) {
            active.decrementAndGet();
        }
    }

    private static Problem uriTooLong() {
        return Problem.of(ProblemType.URI_TOO_LONG,
                "The request target must be at most " + MAX_URI_LENGTH + " characters");
    }

    private static Problem headersTooLarge() {
        return Problem.of(ProblemType.HEADERS_TOO_LARGE,
                "The headers must be at most " + MAX_HEADER_BYTES + " bytes together");
    }

    /**
     * Quarkus's check of the request target, answered with problem JSON; true when the request may go on. A summary
     * request goes on whatever its target: the core reads the raw path and query, as the Lambda function does.
     */
    private boolean admitTarget(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String invalid = invalidTarget(request.uri());
        if (invalid == null) {
            return true;
        }
        String normalized;
        try {
            normalized = ctx.normalizedPath();
        } catch (RuntimeException e) {
            normalized = null; // a malformed escape in the path: Vert.x Web cannot match it against any route
        }
        if (normalized != null && isSummary(normalized)) {
            return true;
        }
        if (normalized == null && isSummary(request.path())) {
            SummaryRoute.send(ctx, summaries.answer(request.method().name(), request.path(), request.query(),
                    SummaryRoute.headers(request)));
            return false;
        }
        ProblemResponse.close(ctx, Problem.of(ProblemType.BAD_REQUEST,
                "The request target is not a valid URI: " + invalid));
        return false;
    }

    /** Why {@link URI} refuses the target (as Quarkus's own check does), or null when it is valid. */
    private static String invalidTarget(String uri) {
        try {
            new URI(uri);
            return null;
        } catch (URISyntaxException e) {
            return quote(e.getMessage());
        }
    }

    private static boolean isSummary(String path) {
        return path.equals(SUMMARY) || path.startsWith(SUMMARY + "/") || path.equals(dev.quarry.search.SearchService.PATH);
    }

    /**
     * Answers a request that Netty could not parse, in place of Vert.x's
     * {@link HttpServerRequest#DEFAULT_INVALID_REQUEST_HANDLER} (same statuses, an empty body), and closes the
     * connection, as that handler does: the decoder cannot read another request from it.
     */
    static void answerUnparsable(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem = unparsable(cause);
        LOG.debugf("Refused a request the HTTP layer could not read (%d): %s", problem.status(), cause);
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        ProblemResponse.send(response, problem);
        response.close();
    }

    /**
     * The problem for a decoder failure. Netty names the header in its message ("Multiple Content-Length values
     * found", "Content-Length value is not a number", "chunked must be the last encoding present in the
     * Transfer-Encoding header", "Content-Length are not allowed in HTTP/1.1 messages that contains a
     * Transfer-Encoding header").
     */
    static Problem unparsable(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return uriTooLong();
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return headersTooLarge();
        }
        String message = cause == null || cause.getMessage() == null ? "" : quote(cause.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        boolean length = lower.contains("content-length");
        boolean encoding = lower.contains("transfer-encoding");
        if (length && encoding) {
            return Problem.of(ProblemType.BAD_REQUEST, "Content-Length must not be sent with"
                    + " Transfer-Encoding (RFC 9112, section 6.2); send one of them").with("header", "Content-Length");
        }
        if (length || encoding) {
            String header = length ? "Content-Length" : "Transfer-Encoding";
            return Problem.of(ProblemType.BAD_REQUEST, "The " + header + " header is invalid: " + message)
                    .with("header", header);
        }
        return Problem.of(ProblemType.BAD_REQUEST,
                "The request cannot be read as HTTP/1.1" + (message.isEmpty() ? "" : ": " + message));
    }

    /** A client's text quoted in a detail, bounded. */
    private static String quote(String text) {
        return text.length() <= MAX_DETAIL_QUOTE ? text : text.substring(0, MAX_DETAIL_QUOTE) + "…";
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads (and drops) the body before answering, so the client is not reset while it is still sending. */
    private static void refuseWhileDraining(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Runnable answer = () -> {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
            ProblemResponse.close(ctx, Problem.of(ProblemType.UNAVAILABLE,
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
     * Refuses new requests, and lets those already routed be answered (at most {@code quarry.shutdown-timeout});
     * once is enough.
     */
    public synchronized void drain() {
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

    public boolean isDraining() {
        return draining;
    }
}
