package dev.quarry.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.ingest.Pipeline;
import dev.quarry.local.otlp.OtlpToRecords;
import dev.quarry.problem.Problem;
import dev.quarry.record.RecordParser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code POST /v1/logs}: OTLP/HTTP logs (https://opentelemetry.io/docs/specs/otlp/#otlphttp), binary protobuf
 * or JSON, mapped by {@link OtlpToRecords} and stored like {@code POST /logs} (200 only once fsync'd). Errors
 * are {@code google.rpc.Status} in the request's encoding, as OTLP requires, not problem JSON.
 */
@ApplicationScoped
public class OtlpRoute {
    /** OTLP clients must not retry a 413, so a small limit would lose data (design.md). */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    static final String PATH = "/v1/logs";
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    // google.rpc.Code values (https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto)
    private static final int INVALID_ARGUMENT = 3;
    private static final int PERMISSION_DENIED = 7;
    private static final int RESOURCE_EXHAUSTED = 8;
    private static final int UNAVAILABLE = 14;

    @Inject
    Pipeline pipeline;

    @Inject
    LocalConfig config;

    private final RecordParser parser = RecordParser.create();

    private IngestAdmission admission;

    void register(Router router) {
        admission = new IngestAdmission(OtlpRoute::answer, "ingesting OTLP logs");
        admission.guardKey(router, PATH, config.apiKey());
        // The 405 is in protobuf whatever the request's type, as it has been since the route was added.
        OneMethod.route(router, HttpMethod.POST, PATH, this::handle,
                (ctx, problem) -> status(ctx, false, problem.status(), INVALID_ARGUMENT, problem.detail()));
    }

    private void handle(RoutingContext ctx) {
        Instant receivedAt = Instant.now();
        String mediaType = mediaType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
        boolean json = !PROTOBUF.equals(mediaType);
        if (!PROTOBUF.equals(mediaType) && !JSON_TYPE.equals(mediaType)) {
            status(ctx, true, 415, INVALID_ARGUMENT, "Content-Type must be " + PROTOBUF + " or " + JSON_TYPE
                    + ", not " + (mediaType.isEmpty() ? "absent" : mediaType));
            return;
        }
        admission.readBody(ctx, MAX_BODY_BYTES, "8 MiB", body -> ctx.vertx().<OtlpToRecords.Result>executeBlocking(
                () -> OtlpToRecords.map(decode(body, json), parser, receivedAt), false)
                .onComplete(mapped -> {
                    if (mapped.failed()) {
                        status(ctx, json, 400, INVALID_ARGUMENT, "The body is not an OTLP"
                                + " ExportLogsServiceRequest in " + (json ? "JSON" : "protobuf") + ": "
                                + mapped.cause().getMessage());
                    } else {
                        store(ctx, json, mapped.result());
                    }
                }));
    }

    private void store(RoutingContext ctx, boolean json, OtlpToRecords.Result result) {
        if (result.accepted().isEmpty()) {
            if (result.rejected() > 0) {
                status(ctx, json, 400, INVALID_ARGUMENT, "No log record could be taken (" + result.rejected()
                        + " rejected); the first: " + result.reason());
            } else {
                respond(ctx, json, ExportLogsServiceResponse.getDefaultInstance());
            }
            return;
        }
        admission.whenStored(ctx, pipeline.append(result.accepted()), count -> respond(ctx, json, response(result)));
    }

    /**
     * A problem the admission decided, as the {@code google.rpc.Status} OTLP answers with, in the request's encoding
     * (JSON unless it is protobuf). The code follows the HTTP status as the OTLP spec pairs them.
     */
    private static void answer(RoutingContext ctx, Problem problem) {
        int code = switch (problem.status()) {
            case 403 -> PERMISSION_DENIED;
            case 413 -> RESOURCE_EXHAUSTED;
            case 503 -> UNAVAILABLE;
            default -> INVALID_ARGUMENT;
        };
        boolean json = !PROTOBUF.equals(mediaType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)));
        status(ctx, json, problem.status(), code, problem.detail());
    }

    /** Partial success when records were rejected; dropped attributes are reported as a warning (0 rejected). */
    public static ExportLogsServiceResponse response(OtlpToRecords.Result result) {
        if (result.rejected() == 0 && result.droppedAttributes() == 0) {
            return ExportLogsServiceResponse.getDefaultInstance();
        }
        StringBuilder message = new StringBuilder();
        if (result.rejected() > 0) {
            message.append(result.rejected()).append(" log record(s) rejected; the first: ").append(result.reason());
        }
        if (result.droppedAttributes() > 0) {
            message.append(message.isEmpty() ? "" : "; ").append(result.droppedAttributes())
                    .append(" attribute(s) dropped (at most 50 per record, keys of 1-64 characters, values of at"
                            + " most 1024)");
        }
        return ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                .setRejectedLogRecords(result.rejected()).setErrorMessage(message.toString())).build();
    }

    public static ExportLogsServiceRequest decode(byte[] body, boolean json) throws IOException {
        if (!json) {
            return ExportLogsServiceRequest.parseFrom(body);
        }
        JsonNode tree = JSON.readTree(body);
        hexIdsToBase64(tree);
        ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
        // OTLP/JSON: receivers must ignore unknown fields (forward compatibility).
        JsonFormat.parser().ignoringUnknownFields().merge(JSON.writeValueAsString(tree), builder);
        return builder.build();
    }

    /**
     * OTLP/JSON departs from the protobuf JSON mapping in one place: {@code traceId} and {@code spanId} are hex,
     * not base64 (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding). JsonFormat knows only the
     * standard mapping, so the ids are rewritten before it reads the tree.
     */
    static void hexIdsToBase64(JsonNode tree) throws InvalidProtocolBufferException {
        for (JsonNode resourceLogs : tree.path("resourceLogs")) {
            for (JsonNode scopeLogs : resourceLogs.path("scopeLogs")) {
                for (JsonNode log : scopeLogs.path("logRecords")) {
                    if (log instanceof ObjectNode record) {
                        for (String field : new String[] {"traceId", "spanId"}) {
                            JsonNode id = record.get(field);
                            if (id != null && id.isTextual()) {
                                try {
                                    record.put(field, Base64.getEncoder().encodeToString(
                                            HexFormat.of().parseHex(id.asText())));
                                } catch (IllegalArgumentException e) {
                                    throw new InvalidProtocolBufferException(field + " must be hex, not \""
                                            + id.asText() + "\"");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void respond(RoutingContext ctx, boolean json, ExportLogsServiceResponse response) {
        if (ctx.response().ended()) {
            return;
        }
        byte[] body;
        try {
            body = json ? JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8)
                    : response.toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("A response always prints", e);
        }
        ctx.response().setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, json ? JSON_TYPE : PROTOBUF)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(body));
    }

    /**
     * A {@code google.rpc.Status} ({@code code} = 1, {@code message} = 2) written by hand: its class lives in
     * another artifact (proto-google-common-protos) for two fields.
     */
    static void status(RoutingContext ctx, boolean json, int httpStatus, int code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        byte[] body;
        if (json) {
            ObjectNode status = JSON.createObjectNode().put("code", code).put("message", message);
            body = status.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            body = statusProtobuf(code, message);
        }
        ctx.response().setStatusCode(httpStatus)
                .putHeader(HttpHeaders.CONTENT_TYPE, json ? JSON_TYPE : PROTOBUF)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(body));
    }

    static byte[] statusProtobuf(int code, String message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Writing to memory cannot fail", e);
        }
    }

    static String mediaType(String header) {
        return header == null ? "" : header.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }
}
