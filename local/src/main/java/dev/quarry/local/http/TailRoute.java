package dev.quarry.local.http;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.tail.TailClient;
import dev.quarry.local.tail.TailEvents;
import dev.quarry.local.tail.TailFilter;
import dev.quarry.local.tail.TailHub;
import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import dev.quarry.summary.QueryString;
import dev.quarry.summary.SummaryRequest.InvalidParametersException;
import dev.quarry.summary.Answers;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code GET /tail}: Server-Sent Events of every record acknowledged after the client connected that matches its
 * filters ({@link TailFilter}), fed by {@link TailHub}. At most {@code quarry.tail.max-clients} at once, then 503;
 * a reader key as for summaries ({@link ReaderKeyHandler}). On SIGTERM each stream ends cleanly once the requests
 * still being answered (records being acknowledged) are done, so a tail gets every record acknowledged before the
 * server stops.
 */
@ApplicationScoped
public class TailRoute {
    private static final Logger LOG = Logger.getLogger(TailRoute.class);
    static final String PATH = "/tail";
    private static final String RETRY_AFTER_SECONDS = "5";

    @Inject
    LocalConfig config;

    @Inject
    TailHub hub;

    @Inject
    HttpEdges edges;

    void register(Router router) {
        OneMethod.route(router, HttpMethod.GET, PATH, this::handle, ProblemResponse::send);
    }

    private void handle(RoutingContext ctx) {
        TailFilter filter;
        try {
            filter = TailFilter.parse(QueryString.decode(ctx.request().query()));
        } catch (InvalidParametersException e) {
            ProblemResponse.send(ctx, Answers.invalidParameters(e));
            return;
        }
        int max = config.tail().maxClients();
        if (!hub.reserve(max)) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            ProblemResponse.send(ctx, Problem.of(ProblemType.TOO_MANY_TAILS, "At most " + max
                    + " tails may be open at once (QUARRY_TAIL_MAX_CLIENTS); close one or retry later"));
            return;
        }
        Context context = Vertx.currentContext();
        HttpServerResponse response = ctx.response();
        TailClient client = new TailClient(filter, context, response);
        long keepAlive = config.tail().keepAlive().toMillis();
        long timer = context.owner().setPeriodic(keepAlive, keepAlive, id -> client.keepAlive());
        Runnable gone = () -> {
            context.owner().cancelTimer(timer);
            client.closed();
            hub.release(client);
        };
        response.closeHandler(v -> gone.run());
        response.endHandler(v -> gone.run());
        response.exceptionHandler(e -> LOG.debugf("A tail's connection failed: %s", e));
        edges.streaming(ctx);
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, TailEvents.MEDIA_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        hub.add(client);
        response.write(Buffer.buffer(TailEvents.CONNECTED));
    }

    /**
     * SIGTERM: after {@link HttpEdges} has drained the requests already routed (its observer has the default
     * priority, so it runs first), every stream gets what it still holds and its last chunk, before Quarkus closes
     * the HTTP server.
     */
    void stop(@Observes @Priority(3000) ShutdownDelayInitiatedEvent event) {
        stopStreams();
    }

    /** In case the pre-shutdown phase did not run. */
    void stopLate(@Observes @Priority(2) ShutdownEvent event) {
        stopStreams();
    }

    private void stopStreams() {
        int open = hub.size();
        try {
            hub.stop(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (open > 0) {
            LOG.infof("Ended %d tail stream(s)", open);
        }
    }
}
