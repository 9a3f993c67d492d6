package dev.quarry.local.http;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.regex.Pattern;

/**
 * {@code QUARRY_READ_KEY}: when set, {@code /summary/*}, {@code /search} and {@code /tail} need
 * {@code Authorization: Bearer <key>}, checked before
 * the summary route (the local twin of the CloudFront Function in {@code cloudfront/reader-key.js}). Answers to
 * a reader with a key are hers alone, so their {@code Cache-Control} says {@code private} instead of
 * {@code public}: no shared cache between the page and the server may keep them. They also say
 * {@code Vary: Authorization}, so that the browser's own cache does not answer a request without the key (after
 * the key is forgotten or refused) with an answer that needed it (RFC 9111, section 4.1). The key is compared as the
 * API key is ({@link KeyGuard}).
 */
@ApplicationScoped
public class ReaderKeyHandler {
    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +(\\S+) *");
    private static final Pattern PUBLIC = Pattern.compile("\\bpublic\\b");

    @Inject
    LocalConfig config;

    void register(Router router) {
        if (config.readKey().isEmpty()) {
            return;
        }
        Handler<RoutingContext> guard = new KeyGuard(config.readKey().get()).guard(ReaderKeyHandler::bearer,
                ReaderKeyHandler::refuse, ReaderKeyHandler::privately);
        router.route("/summary*").handler(guard);
        router.route(dev.quarry.search.SearchService.PATH).handler(guard);
        router.route(TailRoute.PATH).handler(guard);
    }

    /** The token of {@code Authorization: Bearer <token>}, or null. */
    private static String bearer(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        var bearer = authorization == null ? null : BEARER.matcher(authorization);
        return bearer == null || !bearer.matches() ? null : bearer.group(1);
    }

    private static void refuse(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"quarry-summaries\"");
        ProblemResponse.send(ctx, Problem.of(ProblemType.UNAUTHORIZED,
                "A reader key is required: send it as Authorization: Bearer <key>"));
    }

    /** The answer goes on, marked as one for this reader alone. */
    private static void privately(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        ctx.addHeadersEndHandler(v -> {
            String cacheControl = response.headers().get(HttpHeaders.CACHE_CONTROL);
            if (cacheControl != null) {
                response.putHeader(HttpHeaders.CACHE_CONTROL, PUBLIC.matcher(cacheControl).replaceAll("private"));
            }
            response.headers().add(HttpHeaders.VARY, "Authorization");
        });
        ctx.next();
    }
}
