package dev.quarry.lambda;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure mapping from what a function URL (payload format 2.0) passes on to what the summary core takes: the query name
 * from {@code rawPath}, the parameters from {@code rawQueryString}, the {@code If-None-Match} header.
 *
 * <p>The parameters come from the raw query string, decoded as the local server decodes it (Netty's
 * {@code QueryStringDecoder}: pairs separated by {@code &} or {@code ;}, {@code +} is a space, {@code %XX} is UTF-8,
 * a name without {@code =} has the value ""), because {@code queryStringParameters} joins the values of a repeated
 * name with commas, and a comma is a legal character of a value: {@code ?source=a&source=b} and {@code ?source=a,b}
 * would look alike there, while the core must see two values (and refuse them) in the first case only.
 */
public final class FunctionUrlRequests {
    static final String PREFIX = "/summary/";

    private FunctionUrlRequests() {
    }

    /**
     * The {@code {query}} of {@code /summary/{query}}, percent-decoded ({@code +} stays a plus in a path); empty for
     * any other path ({@code /summary}, {@code /summary/}, {@code /summary/a/b}, {@code /other}) or a segment that
     * is not validly encoded.
     */
    public static Optional<String> queryName(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String segment = rawPath.substring(PREFIX.length());
        if (segment.isEmpty() || segment.indexOf('/') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(segment, false));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Each name with all its values, in order of appearance.
     *
     * @param rawQueryString without the {@code ?}; null or empty when the request had none
     * @param queryStringParameters used only when a test or a hand-written event has no raw query string: each value
     *     is then one value (a comma is not split)
     * @throws IllegalArgumentException when the raw query string is not validly percent-encoded UTF-8
     */
    public static Map<String, List<String>> parameters(String rawQueryString,
            Map<String, String> queryStringParameters) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQueryString == null || rawQueryString.isEmpty()) {
            if (queryStringParameters != null) {
                queryStringParameters.forEach((name, value) -> parameters.put(name, List.of(value == null ? ""
                        : value)));
            }
            return parameters;
        }
        for (String pair : rawQueryString.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
            if (name.isEmpty()) {
                continue;
            }
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    /** The value of a header, its name compared without case (function URLs send names in lowercase). */
    public static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String value = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        if (value != null) {
            return value;
        }
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** Percent-decoding into UTF-8, strict: a malformed escape or byte sequence is refused, not replaced. */
    static String decode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0) {
            return plusIsSpace ? text.replace('+', ' ') : text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("unterminated escape sequence at index " + i + " of: " + text);
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("invalid hex byte '" + text.substring(i + 1, i + 3)
                            + "' at index " + i + " of '" + text + "'");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 in '" + text + "'", e);
        }
    }
}
