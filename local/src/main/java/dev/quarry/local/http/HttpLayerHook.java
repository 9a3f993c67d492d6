package dev.quarry.local.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.core.net.impl.VertxHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.util.Collection;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Makes {@link HttpEdges#answerUnparsable} the answer to every request Netty cannot parse, on every connection of
 * the HTTP server that Quarkus creates.
 *
 * <p>Vert.x has a hook for exactly this, {@code HttpServer.invalidRequestHandler} (eclipse-vertx/vert.x#3992; its
 * default, {@code HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER}, answers 400, 414 or 431 with an empty body), but
 * Quarkus 3.33 creates, configures and starts the server itself ({@code VertxHttpRecorder.WebDeploymentVerticle})
 * without exposing it: {@code HttpServerOptionsCustomizer} sees only the options, and the server's connection handler
 * is Quarkus's own (and only with {@code quarkus.http.limits.max-connections}). A connection, though, takes the handler
 * per connection ({@code HttpServerConnection.invalidRequestHandler}), after Vert.x has built its pipeline and before
 * the first request is read. So once the server listens, this puts a Netty handler in front of its listening channel
 * that, for each accepted connection, waits until Vert.x has built the connection and then sets the handler.
 *
 * <p>The one step that is not public API is reading the listening channel (a private field of Vert.x's
 * {@code TCPServerBase}). If any step fails, the server still starts and serves as before, with one WARNING;
 * {@code ReliabilityIT} then fails. Connections accepted before the hook is in place (the first milliseconds after the
 * port is bound) get the handler from their first valid request ({@link #adopt}); readiness waits for the hook.
 */
@Readiness
@ApplicationScoped
public class HttpLayerHook implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(HttpLayerHook.class);
    private static final String ACCEPT_HOOK = "quarry-accept-hook";
    /** The name under which Vert.x adds its connection handler to a connection's pipeline. */
    private static final String VERTX_HANDLER = "handler";
    private static final Handler<HttpServerRequest> UNPARSABLE = HttpEdges::answerUnparsable;

    @Inject
    Vertx vertx;

    private volatile boolean settled;

    /** Once the server listens. */
    public void install() {
        try {
            Collection<HttpServerImpl> servers = ((VertxInternal) vertx).sharedTCPServers(HttpServerImpl.class)
                    .values();
            if (servers.isEmpty()) {
                throw new IllegalStateException("Vert.x lists no HTTP server");
            }
            Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
            bound.setAccessible(true);
            for (HttpServerImpl server : servers) {
                Channel listening = (Channel) ((Future<?>) bound.get(server)).result();
                if (listening.pipeline().get(ACCEPT_HOOK) == null) {
                    listening.pipeline().addFirst(ACCEPT_HOOK, new AcceptHook());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Requests the HTTP layer cannot parse (a bad Content-Length, an over-long request line) will get"
                    + " Vert.x's empty answers, not problem JSON: cannot reach the HTTP server's channel (%s)", e);
        } finally {
            settled = true;
        }
    }

    /** Ready once the hook is in place (or known to be missing, with a WARNING). */
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("http-edges").status(settled).build();
    }

    /** For a connection accepted before the hook was in place; a no-op on any other. */
    static void adopt(HttpConnection connection) {
        if (connection instanceof Http1xServerConnection http1) {
            http1.invalidRequestHandler(UNPARSABLE);
        }
    }

    /** On the listening channel: sees each accepted connection before Vert.x's initializer is added to it. */
    @ChannelHandler.Sharable
    private static final class AcceptHook extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof Channel accepted) {
                accepted.pipeline().addFirst(new ConnectionHook());
            }
            ctx.fireChannelRead(message);
        }
    }

    /**
     * On an accepted connection: moves along the pipeline until Vert.x's connection handler follows it. Without h2c,
     * Vert.x builds the whole pipeline when the connection is registered. With h2c (HTTP/2 without TLS, on by
     * default), it adds the HTTP/1.1 decoder once the first bytes are not HTTP/2's preface, and its connection handler
     * only when the first request is decoded ({@code Http1xUpgradeToH2CHandler}); this waits at the pipeline's end
     * each time, so the handler is set before that request reaches the connection.
     */
    private static final class ConnectionHook extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            ctx.fireChannelRegistered();
            step(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            step(ctx);
            ctx.fireChannelRead(message); // a removed context still passes on to what followed it
        }

        private void step(ChannelHandlerContext ctx) {
            ChannelPipeline pipeline = ctx.pipeline();
            ChannelHandler handler = pipeline.get(VERTX_HANDLER);
            if (handler != null) {
                if (handler instanceof VertxHandler<?> vertx && vertx.getConnection() instanceof HttpConnection c) {
                    adopt(c);
                }
                pipeline.remove(this);
            } else if (pipeline.last() != this && ctx.channel().isOpen()) {
                pipeline.remove(this);
                pipeline.addLast(new ConnectionHook());
            }
        }
    }
}
