package dev.quarry.local.http;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * {@code QUARRY_READ_KEY}: when set, {@code /summary/*}, {@code /search} and {@code /tail} need
 * {@code Authorization: Bearer <key>}, checked before
 * the summary route (the local twin of the CloudFront Function in {@code cloudfront/reader-key.js}). Answers to
 * a reader with a key are hers alone, so their {@code Cache-Control} says {@code private} instead of
 * {@code public}: no shared cache between the page and the server may keep them. They also say
 * {@code Vary: Authorization}, so that the browser's own cache does not answer a request without the key (after
 * the key is forgotten or refused) with an answer that needed it (RFC 9111, section 4.1).
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
        byte[] expected = sha256(config.readKey().get());
        router.route("/summary*").handler(ctx -> check(ctx, expected));
        router.route(dev.quarry.search.SearchService.PATH).handler(ctx -> check(ctx, expected));
        router.route(TailRoute.PATH).handler(ctx -> check(ctx, expected));
    }

    private static void check(RoutingContext ctx, byte[] expected) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        var bearer = authorization == null ? null : BEARER.matcher(authorization);
        // Digests of equal length compared with isEqual: the time taken says nothing about the key.
        if (bearer == null || !bearer.matches() || !MessageDigest.isEqual(expected, sha256(bearer.group(1)))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"quarry-summaries\"");
            IngestRoute.send(ctx, Problem.of("unauthorized", "Unauthorized", 401,
                    "A reader key is required: send it as Authorization: Bearer <key>"));
            return;
        }
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

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
