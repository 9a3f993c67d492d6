package dev.quarry.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * Published in this module's test-jar for the Lambda tests.
 *
 * <p>A loopback server speaking Athena's JSON 1.1 protocol ({@code POST /}, {@code X-Amz-Target: AmazonAthena.<Action>},
 * {@code application/x-amz-json-1.1}): it answers each action with the replies queued for it, in order, and records
 * every request. An action with no reply left is answered with an {@code InvalidRequestException}.
 */
public final class TestingAthenaServer implements AutoCloseable {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String TARGET_PREFIX = "AmazonAthena.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as received: the action (the target without its prefix), two headers and the JSON body. */
    public record Request(String action, String contentType, String authorization, JsonNode body) {
    }

    record Reply(int status, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Reply>> replies = new HashMap<>();

    public TestingAthenaServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client of this server, built as production builds one, with test credentials. */
    public AthenaClient client() {
        return AthenaClients.create(endpoint(), AwsBasicCredentials.create("AKIDTESTING", "testing-secret"),
                Region.EU_CENTRAL_1);
    }

    public TestingAthenaServer reply(String action, String json) {
        return reply(action, 200, json);
    }

    public synchronized TestingAthenaServer reply(String action, int status, String json) {
        replies.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Reply(status, json));
        return this;
    }

    /** An AWS JSON error: {@code {"__type": type, "Message": message}} with status 400. */
    public TestingAthenaServer error(String action, String type, String message) {
        return reply(action, 400, "{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}");
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<String> actions() {
        return requests.stream().map(Request::action).toList();
    }

    /** Forgets the requests received and the replies not sent. */
    public synchronized void reset() {
        requests.clear();
        replies.clear();
    }

    public synchronized List<Request> requests(String action) {
        return requests.stream().filter(r -> r.action().equals(action)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Reply reply;
            if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())
                    || target == null || !target.startsWith(TARGET_PREFIX)) {
                reply = new Reply(400, "{\"__type\":\"UnknownOperationException\"}");
            } else {
                String action = target.substring(TARGET_PREFIX.length());
                synchronized (this) {
                    requests.add(new Request(action, exchange.getRequestHeaders().getFirst("Content-Type"),
                            exchange.getRequestHeaders().getFirst("Authorization"), JSON.readTree(text.isEmpty() ? "{}" : text)));
                    Deque<Reply> queued = replies.get(action);
                    reply = queued == null || queued.isEmpty()
                            ? new Reply(400, "{\"__type\":\"InvalidRequestException\",\"Message\":\"The test queued no"
                                    + " reply for " + action + "\"}")
                            : queued.poll();
                }
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
