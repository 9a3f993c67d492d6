package dev.quarry.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the next page of a search starts, and which search it belongs to: the range the first page resolved (so a
 * default "last 24 hours" stays the same range while paging), the timestamp the page ends at ({@code before}: the
 * next page reads records at or before it), how many records of that very timestamp were already returned
 * ({@code skip}), and a digest of the other parameters ({@code binding}). Sent as base64url text, opaque to clients.
 *
 * @param before the last returned record's timestamp, whole milliseconds
 * @param skip how many records with timestamp {@code before} the pages so far returned
 * @param binding {@link SearchRequest#binding} of the parameters the cursor's pages were asked with
 */
public record SearchCursor(Instant from, Instant to, Instant before, long skip, String binding) {
    private static final String VERSION = "1";
    private static final Pattern TEXT = Pattern.compile("1:(-?[0-9]{1,15}):(-?[0-9]{1,15}):(-?[0-9]{1,15}):([0-9]{1,9}):([0-9a-f]{24})");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{1,200}\\z");

    public String encode() {
        String text = VERSION + ":" + from.toEpochMilli() + ":" + to.toEpochMilli() + ":" + before.toEpochMilli()
                + ":" + skip + ":" + binding;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException saying why the text is not a cursor this server wrote */
    public static SearchCursor decode(String encoded) {
        if (!BASE64URL.matcher(encoded).matches()) {
            throw new IllegalArgumentException("is not a cursor of /search (pass the previous page's 'next' as it is)");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a cursor of /search (pass the previous page's 'next' as it is)", e);
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a cursor of /search (pass the previous page's 'next' as it is)");
        }
        Instant from = Instant.ofEpochMilli(Long.parseLong(m.group(1)));
        Instant to = Instant.ofEpochMilli(Long.parseLong(m.group(2)));
        Instant before = Instant.ofEpochMilli(Long.parseLong(m.group(3)));
        if (!from.isBefore(to) || before.isBefore(from) || before.isAfter(to)) {
            throw new IllegalArgumentException("is not a cursor of /search (its positions are inconsistent)");
        }
        return new SearchCursor(from, to, before, Long.parseLong(m.group(4)), m.group(5));
    }
}
