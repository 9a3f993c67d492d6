package dev.quarry.summary;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What to answer to a summary request, independent of the transport: the local HTTP server and the Lambda function
 * URL send it as it is.
 *
 * @param headers in the order they should be sent; names as in RFC 9110 ({@code Cache-Control}, {@code ETag}, ...)
 * @param body empty for 304
 */
public record SummaryResponse(int status, Map<String, String> headers, byte[] body) {
    public SummaryResponse {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
