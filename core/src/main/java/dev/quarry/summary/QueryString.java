package dev.quarry.summary;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw query string ({@code application/x-www-form-urlencoded}, as the WHATWG URL standard parses it), decoded once
 * for both transports: the local server hands in the request line's query, a function URL its {@code rawQueryString}
 * (its {@code queryStringParameters} join a repeated name's values with commas, which a value may itself contain).
 *
 * <p>Pairs are separated by {@code &} only: {@code ;} is data, as in the URL standard (HTML 4's {@code ;} separator
 * is gone). {@code +} is a space, {@code %2B} a plus. Unlike the URL standard, a malformed escape ({@code %ZZ},
 * {@code %2}) or escapes that are not UTF-8 ({@code %FF}) are not replaced by U+FFFD but reported, so that a filter
 * never silently matches a different string than the client meant.
 *
 * @param parameters each decoded name with all its values, in order of appearance; an empty name is dropped
 * @param malformed each name (decoded, or as sent when the name itself cannot be decoded) whose pair could not be
 *     decoded, with the reason; such a pair is not in {@code parameters}
 */
public record QueryString(Map<String, List<String>> parameters, Map<String, String> malformed) {

    public QueryString {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        malformed = Collections.unmodifiableMap(new LinkedHashMap<>(malformed));
    }

    /** Parameters already decoded (each value is taken as it is). */
    public static QueryString of(Map<String, List<String>> parameters) {
        return new QueryString(parameters, Map.of());
    }

    /** @param raw without the {@code ?}; null or empty for none */
    public static QueryString decode(String raw) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        Map<String, String> malformed = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new QueryString(parameters, malformed);
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
            String name;
            try {
                name = decodeComponent(rawName, true);
            } catch (IllegalArgumentException e) {
                malformed.putIfAbsent(rawName, "the name " + e.getMessage());
                continue;
            }
            if (name.isEmpty()) {
                continue;
            }
            try {
                String value = decodeComponent(rawValue, true);
                if (!malformed.containsKey(name)) {
                    parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
            } catch (IllegalArgumentException e) {
                parameters.remove(name);
                malformed.putIfAbsent(name, "the value " + e.getMessage());
            }
        }
        return new QueryString(parameters, malformed);
    }

    /**
     * Percent-decoding into UTF-8, strict.
     *
     * @param plusIsSpace true in a query string; false in a path segment, where {@code +} is a plus
     * @throws IllegalArgumentException naming the first malformed escape, or saying the bytes are not UTF-8
     */
    public static String decodeComponent(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0) {
            return plusIsSpace ? text.replace('+', ' ') : text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("has a malformed escape '"
                            + text.substring(i, Math.min(i + 3, text.length())) + "' (% must be followed by two hex"
                            + " digits; send a % as %25)");
                }
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '%') {
                    end++;
                }
                String run = text.substring(i, end);
                bytes.writeBytes((plusIsSpace ? run.replace('+', ' ') : run).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("has percent-escapes that are not UTF-8 (such as %FF)", e);
        }
    }
}
