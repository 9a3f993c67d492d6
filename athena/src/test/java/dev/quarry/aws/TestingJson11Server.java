package dev.quarry.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback endpoint speaking the AWS JSON 1.1 protocol ({@code POST /}, {@code X-Amz-Target: <Prefix>.<Operation>},
 * {@code application/x-amz-json-1.1}), which Athena and Glue both use; {@code TestingAthenaServer} and
 * {@code TestingGlueServer} name the prefix and add their service's canned bodies. Published in the athena module's
 * test-jar, which the lambda module's tests use.
 *
 * <p>It records every request and answers from canned answers: the one-shot ones of the operation first, in order
 * (a throttled call, a query's successive states), then its standing answer; without either, a 400 error naming the
 * operation, so a test that forgot an answer fails with a sentence rather than a hang.
 */
public class TestingJson11Server implements AutoCloseable {
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as received: the operation (the target without its prefix), two headers and the JSON body. */
    public record Request(String operation, String contentType, String authorization, JsonNode body) {
    }

    private record Answer(int status, String body) {
    }

    private final String targetPrefix;
    private final String noAnswerType;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Answer>> once = new HashMap<>();
    private final Map<String, Answer> standing = new HashMap<>();

    /**
     * @param targetPrefix the service's target prefix with its dot ({@code AmazonAthena.}, {@code AWSGlue.})
     * @param noAnswerType the service's error type for a request the test gave no answer to
     */
    protected TestingJson11Server(String targetPrefix, String noAnswerType) {
        this.targetPrefix = targetPrefix;
        this.noAnswerType = noAnswerType;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The standing answer to an operation ({@code GetTable}). */
    public synchronized void answer(String operation, int status, String body) {
        standing.put(operation, new Answer(status, body));
    }

    /** An answer to the next call of the operation only, after the one-shot answers given before it. */
    public synchronized void answerOnce(String operation, int status, String body) {
        once.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(new Answer(status, body));
    }

    /** A JSON 1.1 error body: {@code {"__type": "...", "Message": "..."}}. */
    public static String error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("Message", message).toString();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Request> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    public synchronized List<String> operations() {
        return requests.stream().map(Request::operation).toList();
    }

    /** Forgets the requests received and every answer given. */
    public synchronized void reset() {
        requests.clear();
        once.clear();
        standing.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Answer answer;
            if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())
                    || target == null || !target.startsWith(targetPrefix)) {
                answer = new Answer(400, error("UnknownOperationException", "No operation " + target));
            } else {
                String operation = target.substring(targetPrefix.length());
                synchronized (this) {
                    requests.add(new Request(operation, exchange.getRequestHeaders().getFirst("Content-Type"),
                            exchange.getRequestHeaders().getFirst("Authorization"),
                            requestBody.length == 0 ? JSON.createObjectNode() : JSON.readTree(requestBody)));
                    Deque<Answer> queued = once.get(operation);
                    answer = queued != null && !queued.isEmpty() ? queued.poll() : standing.getOrDefault(operation,
                            new Answer(400, error(noAnswerType, "The test gave no answer to " + operation)));
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
