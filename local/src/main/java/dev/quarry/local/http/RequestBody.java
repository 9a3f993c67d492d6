package dev.quarry.local.http;

import dev.quarry.problem.Problem;
import dev.quarry.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body for the ingest routes, honouring {@code Content-Encoding: gzip} or {@code deflate}
 * (design.md, "Other ways in"). The limit applies to the inflated body. A bomb cannot cost more than the
 * limit: the encoded bytes are refused once they pass the limit (an encoding never shrinks random data, so a
 * larger encoded body cannot inflate to fewer bytes than allowed, save a few header bytes), and inflation
 * reads at most {@code limit + 1} bytes, stopping there whatever the body still holds.
 */
final class RequestBody {
    private static final int INFLATE_CHUNK = 64 * 1024;

    /** Why a body was refused; each route renders it in its own error format. */
    static final class RefusedException extends Exception {
        private final ProblemType type;

        RefusedException(ProblemType type, String detail) {
            super(detail, null, false, false);
            this.type = type;
        }

        ProblemType type() {
            return type;
        }

        int status() {
            return type.status();
        }

        Problem problem() {
            return Problem.of(type, getMessage());
        }
    }

    enum Encoding { IDENTITY, GZIP, DEFLATE }

    private RequestBody() {
    }

    /**
     * The encoding named by a {@code Content-Encoding} header, or a 415 refusal. Only one coding is taken:
     * stacked codings ({@code gzip, gzip}) are something no shipper sends.
     */
    static Encoding encoding(String header) throws RefusedException {
        if (header == null || header.isBlank()) {
            return Encoding.IDENTITY;
        }
        switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "identity":
                return Encoding.IDENTITY;
            case "gzip":
            case "x-gzip":
                return Encoding.GZIP;
            case "deflate":
                return Encoding.DEFLATE;
            default:
                throw new RefusedException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Encoding must be gzip, deflate or identity, not " + header.trim());
        }
    }

    /**
     * Reads the whole body and inflates it. Fails with {@link RefusedException} (413 when the body or its
     * inflated form passes {@code limit}, 415 for an unknown encoding, 400 for a corrupt encoding). A refused
     * body is not read further (the response closes the connection).
     */
    static Future<byte[]> read(RoutingContext ctx, int limit, String limitText) {
        HttpServerRequest request = ctx.request();
        Encoding encoding;
        try {
            encoding = encoding(request.getHeader(HttpHeaders.CONTENT_ENCODING));
        } catch (RefusedException e) {
            return Future.failedFuture(e);
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = parseLength(length);
        if (declared > limit) {
            return Future.failedFuture(tooLarge(limit, limitText));
        }
        Promise<byte[]> result = Promise.promise();
        Buffer body = Buffer.buffer(length != null ? (int) Math.max(0, Math.min(declared, limit)) : 4096);
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                result.tryFail(tooLarge(limit, limitText));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> result.tryFail(e));
        request.endHandler(end -> {
            if (refused[0]) {
                return;
            }
            if (encoding == Encoding.IDENTITY) {
                result.tryComplete(body.getBytes());
                return;
            }
            // Inflating up to 8 MiB takes milliseconds of CPU: off the event loop.
            ctx.vertx().<byte[]>executeBlocking(() -> inflate(body.getBytes(), encoding, limit, limitText), false)
                    .onComplete(result);
        });
        request.resume();
        return result.future();
    }

    /** The inflated body, or a refusal once it passes {@code limit} (reading at most {@code limit + 1} bytes). */
    static byte[] inflate(byte[] encoded, Encoding encoding, int limit, String limitText) throws RefusedException {
        if (encoding == Encoding.IDENTITY) {
            return encoded;
        }
        Inflater inflater = null;
        try {
            InputStream in;
            if (encoding == Encoding.GZIP) {
                in = new GZIPInputStream(new ByteArrayInputStream(encoded), INFLATE_CHUNK);
            } else {
                // RFC 9110 says deflate is the zlib format (RFC 1950), but some clients send raw deflate
                // (RFC 1951); a zlib header is recognisable by its checksum (RFC 1950 section 2.2).
                boolean zlib = encoded.length >= 2 && (encoded[0] & 0x0F) == 8
                        && (((encoded[0] & 0xFF) << 8) | (encoded[1] & 0xFF)) % 31 == 0;
                inflater = new Inflater(!zlib);
                in = new InflaterInputStream(new ByteArrayInputStream(encoded), inflater, INFLATE_CHUNK);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, Math.max(1024, encoded.length * 4)));
            byte[] chunk = new byte[INFLATE_CHUNK];
            int read;
            while ((read = in.read(chunk, 0, (int) Math.min(chunk.length, (long) limit + 1 - out.size()))) > 0) {
                out.write(chunk, 0, read);
                if (out.size() > limit) {
                    throw tooLarge(limit, limitText);
                }
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException e) {
            throw new RefusedException(ProblemType.INVALID_ENCODING,
                    "The body is not valid " + encoding.name().toLowerCase(Locale.ROOT) + " data as its"
                            + " Content-Encoding says (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new RefusedException(ProblemType.INVALID_ENCODING, "The body cannot be inflated ("
                    + e.getMessage() + ")");
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    static RefusedException tooLarge(int limit, String limitText) {
        return new RefusedException(ProblemType.PAYLOAD_TOO_LARGE, "The body must be at most "
                + limit + " bytes (" + limitText + ", counted after inflating any Content-Encoding); split it into"
                + " smaller batches");
    }

    private static long parseLength(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
