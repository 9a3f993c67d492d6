package dev.quarry.local.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dashboard page ({@code web/} in the repository, copied into {@code dashboard/} on the class path by the
 * build) at {@code /}. Each file has a route of its own at its exact path, so every other path still ends in
 * the server's 404 problem JSON; there is no directory listing and no path to traverse.
 */
@ApplicationScoped
public class DashboardRoute {
    /** URL path to class path resource and media type. */
    public static final Map<String, String[]> FILES = files();

    /**
     * The same policy the CloudFront response headers policy sets on AWS, so the local page proves it runs
     * without inline script or style and without another origin.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static Map<String, String[]> files() {
        Map<String, String[]> files = new LinkedHashMap<>();
        files.put("/", new String[] {"index.html", "text/html; charset=utf-8"});
        files.put("/index.html", new String[] {"index.html", "text/html; charset=utf-8"});
        files.put("/dashboard.js", new String[] {"dashboard.js", "text/javascript; charset=utf-8"});
        files.put("/logs.js", new String[] {"logs.js", "text/javascript; charset=utf-8"});
        files.put("/dashboard.css", new String[] {"dashboard.css", "text/css; charset=utf-8"});
        files.put("/favicon.svg", new String[] {"favicon.svg", "image/svg+xml"});
        files.put("/vendor/uPlot.iife.min.js", new String[] {"vendor/uPlot.iife.min.js", "text/javascript; charset=utf-8"});
        files.put("/vendor/uPlot.min.css", new String[] {"vendor/uPlot.min.css", "text/css; charset=utf-8"});
        return files;
    }

    void register(Router router) {
        FILES.forEach((path, file) -> {
            byte[] content = read("dashboard/" + file[0]);
            if (content == null) {
                return; // built without npm ci: no page, the API still works
            }
            Buffer body = Buffer.buffer(content);
            // A regex, not a path: the router matches a path also with a trailing slash; a file has one name.
            router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).pathRegex(Pattern.quote(path))
                    .handler(ctx -> send(ctx, file[1], body, ctx.request().method() == HttpMethod.GET));
        });
    }

    private static void send(RoutingContext ctx, String mediaType, Buffer body, boolean withBody) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, mediaType)
                // Local files change with every build and the server is on loopback: always revalidate.
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        if (withBody) {
            ctx.response().end(body);
        } else {
            ctx.response().end();
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardRoute.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
