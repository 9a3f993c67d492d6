package dev.quarry.local.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every route of the local server, in the order a request meets them:
 * <ol>
 * <li>{@link HttpEdges}: draining, the URI, header and body limits, the request target (ahead of Quarkus's own
 * {@code /q/*} routes too);</li>
 * <li>the reader key on {@code /summary*} ({@link ReaderKeyHandler}, when {@code QUARRY_READ_KEY} is set);</li>
 * <li>{@code /logs} ({@link IngestRoute}), {@code /v1/logs} ({@link OtlpRoute}), {@code /summary} and
 * {@code /summary/*} ({@link SummaryRoute}), the dashboard's files ({@link DashboardRoute});</li>
 * <li>{@link HttpEdges} again: 404 for any other path, and problem JSON for the router's own errors.</li>
 * </ol>
 * Vert.x Web tries routes in the order they are added, unless one is given an order: only the first and the last
 * are, since Quarkus adds its own routes to the same router.
 */
@ApplicationScoped
public class Routes {
    @Inject
    HttpEdges edges;

    @Inject
    ReaderKeyHandler readerKey;

    @Inject
    IngestRoute ingest;

    @Inject
    OtlpRoute otlp;

    @Inject
    SummaryRoute summary;

    @Inject
    TailRoute tail;

    @Inject
    DashboardRoute dashboard;

    public void register(Router router) {
        edges.registerFirst(router);
        readerKey.register(router);
        ingest.register(router);
        otlp.register(router);
        summary.register(router);
        tail.register(router);
        dashboard.register(router);
        edges.registerLast(router);
    }
}
