package dev.quarry.local.http;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.ingest.Pipeline;
import dev.quarry.problem.Problem;
import dev.quarry.record.InvalidRecordsException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * {@code POST /logs}: the record contract over HTTP. The body is read here, not by a framework body handler,
 * so that the 1 MiB limit answers with problem JSON and a larger body is never buffered.
 */
@ApplicationScoped
public class IngestRoute {
    private static final Logger LOG = Logger.getLogger(IngestRoute.class);
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String PATH = "/logs";

    @Inject
    Pipeline pipeline;

    @Inject
    LocalConfig config;

    void register(Router router) {
        router.post(PATH).handler(this::handle);
        router.route(PATH).handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
            send(ctx, Problem.of("method-not-allowed", "Method Not Allowed", 405,
                    ctx.request().method() + " is not allowed on " + PATH + "; use POST"));
        });
    }

    private void handle(RoutingContext ctx) {
        Instant receivedAt = Instant.now();
        HttpServerRequest request = ctx.request();
        if (config.apiKey().isPresent() && !keyMatches(config.apiKey().get(), request.getHeader("x-api-key"))) {
            send(ctx, Problem.of("forbidden", "Forbidden", 403,
                    "A valid API key is required in the x-api-key header"));
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String unsupported = unsupportedContentType(contentType);
        if (unsupported != null) {
            send(ctx, Problem.of("unsupported-media-type", "Unsupported Media Type", 415, unsupported));
            return;
        }
        RequestBody.read(ctx, MAX_BODY_BYTES, "1 MiB").onComplete(read -> {
            if (read.succeeded()) {
                ingest(ctx, read.result(), receivedAt);
            } else if (read.cause() instanceof RequestBody.RefusedException refused) {
                refuse(ctx, refused);
            } else {
                LOG.debugf("Reading a request body failed: %s", read.cause().toString());
            }
        });
    }

    private void ingest(RoutingContext ctx, byte[] body, Instant receivedAt) {
        Context context = Vertx.currentContext();
        pipeline.ingest(body, receivedAt).whenComplete((records, failure) -> context.runOnContext(v -> {
            if (failure == null) {
                ctx.response().setStatusCode(200)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end("{\"accepted\":true,\"records\":" + records + "}");
            } else if (failure instanceof InvalidRecordsException invalid) {
                send(ctx, Problem.invalidRecords(invalid));
            } else if (failure instanceof Pipeline.UnavailableException unavailable) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                send(ctx, Problem.of("unavailable", "Service Unavailable", 503,
                        unavailable.getMessage() + "; nothing was stored, retry later"));
            } else {
                // The cause (a file name, an errno text) is for the operator, not the client: the write-ahead log
                // has logged it.
                if (failure instanceof IOException) {
                    LOG.debugf("Records not made durable: %s", failure);
                } else {
                    LOG.error("Unexpected failure while ingesting", failure);
                }
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
                send(ctx, Problem.of("not-durable", "Service Unavailable", 503,
                        "The records could not be written to disk; nothing was acknowledged, retry later"));
            }
        }));
    }

    static void refuse(RoutingContext ctx, RequestBody.RefusedException refused) {
        if (refused.status() == 413) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        send(ctx, Problem.of(refused.kind(), refused.title(), refused.status(), refused.getMessage()));
    }

    /** Null when the content type is JSON in UTF-8 (RFC 8259 allows no other charset); else why not. */
    static String unsupportedContentType(String header) {
        if (header == null) {
            return "Content-Type must be application/json; the request had none";
        }
        String[] parts = header.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return "Content-Type must be application/json, not " + parts[0].trim();
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && parameter.length == 2) {
                String charset = parameter[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    return "JSON must be sent as UTF-8, not " + charset;
                }
            }
        }
        return null;
    }

    private static boolean keyMatches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    static void send(RoutingContext ctx, Problem problem) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(problem.toJson()));
    }
}
