package dev.quarry.local.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Function;

/**
 * A key a request must present ({@code QUARRY_API_KEY} in {@code x-api-key}, {@code QUARRY_READ_KEY} as a bearer
 * token), checked by a guard route placed ahead of the routes it protects. The comparison is of SHA-256 digests
 * with {@link MessageDigest#isEqual}: both have the same length whatever the key, so the time taken says nothing
 * about it.
 */
final class KeyGuard {
    private final byte[] expected;

    KeyGuard(String key) {
        expected = sha256(key);
    }

    /** True when {@code given} (null when the request had none) is the key. */
    boolean matches(String given) {
        return given != null && MessageDigest.isEqual(expected, sha256(given));
    }

    /**
     * The guard route: {@code admit} (which ends in {@link RoutingContext#next}) when {@code presented} finds the key
     * in the request, else {@code refuse}, which answers in the route's own format.
     */
    Handler<RoutingContext> guard(Function<RoutingContext, String> presented, Handler<RoutingContext> refuse,
            Handler<RoutingContext> admit) {
        return ctx -> {
            if (matches(presented.apply(ctx))) {
                admit.handle(ctx);
            } else {
                refuse.handle(ctx);
            }
        };
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
