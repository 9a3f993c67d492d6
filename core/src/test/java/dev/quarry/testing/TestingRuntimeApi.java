package dev.quarry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Lambda Runtime API (2018-06-01) on loopback, as a function's runtime interface client sees it in Lambda: it
 * hands out queued events at {@code GET /runtime/invocation/next} and collects what the function posts back.
 *
 * Used by the lambda module's {@code FunctionZipIT} and by {@code scripts/bench} (a function's init time).
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html">Runtime API</a>
 */
public final class TestingRuntimeApi implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    /** What the function posted for one invocation: its response, or its error. */
    public record Outcome(boolean failed, String body) {
    }

    private record Invocation(String requestId, String event) {
    }

    private final HttpServer server;
    private final BlockingQueue<Invocation> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();

    private TestingRuntimeApi(HttpServer server) {
        this.server = server;
    }

    public static TestingRuntimeApi start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TestingRuntimeApi api = new TestingRuntimeApi(server);
            server.createContext(BASE, api::handle);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event and returns its request id. */
    public String invoke(String event) {
        String requestId = UUID.randomUUID().toString();
        outcomes.put(requestId, new CompletableFuture<>());
        events.add(new Invocation(requestId, event));
        return requestId;
    }

    public Outcome outcome(String requestId, Duration timeout) throws InterruptedException, ExecutionException,
            TimeoutException {
        return outcomes.get(requestId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@link System#nanoTime()} when the function first asked for an event: its initialization is done. */
    public long firstPollNanos(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return firstPoll.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public CompletableFuture<Long> firstPoll() {
        return firstPoll;
    }

    public CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("restore/next")) {
                // SnapStart: the client asks once, after init, whether it was restored from a snapshot.
                send(exchange, 200, "");
                return;
            }
            if (method.equals("GET") && path.equals("invocation/next")) {
                firstPoll.complete(System.nanoTime());
                Invocation invocation = events.take();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
                exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + 60_000));
                exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:quarry-partition:live");
                exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id",
                        "Root=1-67a8b2c1-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0");
                send(exchange, 200, invocation.event());
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(body);
                send(exchange, 202, "{\"status\":\"OK\"}");
                return;
            }
            if (method.equals("POST") && path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                CompletableFuture<Outcome> outcome = parts.length == 3 ? outcomes.get(parts[1]) : null;
                if (outcome != null && (parts[2].equals("response") || parts[2].equals("error"))) {
                    outcome.complete(new Outcome(parts[2].equals("error"), body));
                    send(exchange, 202, "{\"status\":\"OK\"}");
                    return;
                }
            }
            send(exchange, 404, "{\"errorMessage\":\"unknown path " + path + "\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
