package dev.quarry.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
import java.util.concurrent.Executors;

/**
 * A loopback Glue endpoint speaking the AWS JSON 1.1 protocol ({@code POST /} with {@code X-Amz-Target:
 * AWSGlue.<Operation>}). It records every request and answers from canned responses: one-shot ones first (a
 * throttled call, say), then the standing answer of the operation.
 */
public final class TestingGlueServer implements AutoCloseable {
    public static final String GET_TABLE = "AWSGlue.GetTable";
    public static final String BATCH_CREATE_PARTITION = "AWSGlue.BatchCreatePartition";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Request(String target, JsonNode body, String authorization) {
        public String operation() {
            return target.substring(target.indexOf('.') + 1);
        }
    }

    private record Response(int status, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Response>> once = new HashMap<>();
    private final Map<String, Response> standing = new HashMap<>();

    private TestingGlueServer(HttpServer server) {
        this.server = server;
    }

    public static TestingGlueServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TestingGlueServer glue = new TestingGlueServer(server);
            server.createContext("/", glue::handle);
            server.setExecutor(Executors.newSingleThreadExecutor());
            server.start();
            glue.answer(GET_TABLE, 200, logsTable("quarry", "logs", "quarry-logs-123456789012"));
            glue.answer(BATCH_CREATE_PARTITION, 200, "{\"Errors\":[]}");
            return glue;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The standing answer to an operation ({@code AWSGlue.GetTable}). */
    public synchronized TestingGlueServer answer(String target, int status, String body) {
        standing.put(target, new Response(status, body));
        return this;
    }

    /** An answer to the next call of the operation only, before its standing answer. */
    public synchronized TestingGlueServer answerOnce(String target, int status, String body) {
        once.computeIfAbsent(target, t -> new ArrayDeque<>()).add(new Response(status, body));
        return this;
    }

    /** A JSON 1.1 error answer body: {@code {"__type": "...", "Message": "..."}}. */
    public static String error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("Message", message).toString();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<String> operations() {
        return requests.stream().map(Request::operation).toList();
    }

    /** The GetTable answer for the logs table as the deployment creates it: Parquet, partitioned by dt. */
    public static String logsTable(String database, String table, String bucket) {
        return """
                {"Table": {
                  "Name": "%s", "DatabaseName": "%s", "TableType": "EXTERNAL_TABLE",
                  "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                  "Parameters": {"classification": "parquet", "projection.enabled": "true"},
                  "StorageDescriptor": %s
                }}
                """.formatted(table, database, storageDescriptor("s3://" + bucket + "/logs/"));
    }

    /** The partition input Glue must receive for a day of the table answered by {@link #logsTable}. */
    public static String expectedPartitionInput(String bucket, String day) {
        return """
                {"Values": ["%s"],
                 "StorageDescriptor": %s}
                """.formatted(day, storageDescriptor("s3://" + bucket + "/logs/dt=" + day + "/"));
    }

    /** The logs table's storage descriptor at {@code location}: the table's own, and each partition's copy of it. */
    private static String storageDescriptor(String location) {
        return """
                {
                    "Columns": [
                      {"Name": "source", "Type": "string"}, {"Name": "logtype", "Type": "string"},
                      {"Name": "timestamp", "Type": "timestamp"}, {"Name": "message", "Type": "string"},
                      {"Name": "attributes", "Type": "map<string,string>"}, {"Name": "received_at", "Type": "timestamp"}
                    ],
                    "Location": "%s",
                    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    "Compressed": false,
                    "SerdeInfo": {
                      "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                      "Parameters": {"serialization.format": "1"}
                    },
                    "StoredAsSubDirectories": false
                }""".formatted(location);
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Response response;
            synchronized (this) {
                requests.add(new Request(target, requestBody.length == 0 ? JSON.createObjectNode()
                        : JSON.readTree(requestBody), exchange.getRequestHeaders().getFirst("Authorization")));
                Deque<Response> queued = once.get(target);
                response = queued != null && !queued.isEmpty() ? queued.poll() : standing.getOrDefault(target,
                        new Response(400, error("InvalidInputException", "TestingGlueServer: no answer for " + target)));
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "00000000-0000-0000-0000-00000000000" + requests.size() % 10);
            exchange.sendResponseHeaders(response.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
