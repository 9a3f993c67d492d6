package dev.quarry.local.http;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.ingest.Pipeline;
import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code POST /logs}: the record contract over HTTP. The body is read here, not by a framework body handler,
 * so that the 1 MiB limit answers with problem JSON and a larger body is never buffered.
 */
@ApplicationScoped
public class IngestRoute {
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String PATH = "/logs";

    @Inject
    Pipeline pipeline;

    @Inject
    LocalConfig config;

    private IngestAdmission admission;

    void register(Router router) {
        admission = new IngestAdmission(ProblemResponse::send, "ingesting");
        admission.guardKey(router, PATH, config.apiKey());
        OneMethod.route(router, HttpMethod.POST, PATH, this::handle, ProblemResponse::send);
    }

    private void handle(RoutingContext ctx) {
        Instant receivedAt = Instant.now();
        String unsupported = unsupportedContentType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
        if (unsupported != null) {
            ProblemResponse.send(ctx, Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, unsupported));
            return;
        }
        admission.readBody(ctx, MAX_BODY_BYTES, "1 MiB", body -> admission.whenStored(ctx,
                pipeline.ingest(body, receivedAt), records -> ctx.response().setStatusCode(200)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end("{\"accepted\":true,\"records\":" + records + "}")));
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
}
