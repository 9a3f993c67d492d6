package dev.quarry.problem;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every problem type Quarry answers with, on the local server and on AWS: its slug (the end of the {@code type}
 * URI), the status it is answered with, and its title. RFC 9457: the title "SHOULD NOT change from occurrence to
 * occurrence of the problem", so it is written here once; where a type stands for an HTTP status, the title is
 * that status's reason phrase as RFC 9110 names it (413 is "Content Too Large"). The AWS gateway responses and
 * mapping templates ({@code resources/ingest.yml}) and the CloudFront functions write their problem JSON as
 * literals; a deploy test checks each against this table. The types marked "AWS only" are answered only there.
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", 400, "Bad Request"),
    INVALID_RECORD("invalid-record", 400, "Invalid log record"),
    INVALID_ENCODING("invalid-encoding", 400, "Bad Request"),
    INVALID_PARAMETERS("invalid-parameters", 400, "Bad Request"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not-found", 404, "Not Found"),
    UNKNOWN_QUERY("unknown-query", 404, "Not Found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method Not Allowed"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Content Too Large"),
    URI_TOO_LONG("uri-too-long", 414, "URI Too Long"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported Media Type"),
    HEADERS_TOO_LARGE("headers-too-large", 431, "Request Header Fields Too Large"),
    /** API Gateway's usage-plan throttle (AWS only). */
    THROTTLED("throttled", 429, "Too Many Requests"),
    /** API Gateway's usage-plan daily quota (AWS only). */
    QUOTA_EXCEEDED("quota-exceeded", 429, "Daily quota exceeded"),
    INTERNAL_ERROR("internal-error", 500, "Internal Server Error"),
    /** Firehose refused the request for another reason than its size (AWS only). */
    INGEST_FAILED("ingest-failed", 502, "Ingest failed"),
    /** Starting, stopping or saturated; on AWS also 504, when the delivery stream cannot be reached in time. */
    UNAVAILABLE("unavailable", 503, "Service Unavailable"),
    NOT_DURABLE("not-durable", 503, "Service Unavailable"),
    TOO_MANY_TAILS("too-many-tails", 503, "Service Unavailable"),
    QUERY_FAILED("query-failed", 503, "Service Unavailable");

    /** What every problem's {@code type} URI starts with. */
    public static final String URI_PREFIX = "urn:quarry:problem:";

    private static final Map<String, ProblemType> BY_SLUG = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ProblemType::slug, Function.identity()));

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** {@code urn:quarry:problem:} and the slug. */
    public String uri() {
        return URI_PREFIX + slug;
    }

    public static Optional<ProblemType> bySlug(String slug) {
        return Optional.ofNullable(BY_SLUG.get(slug));
    }
}
