package dev.quarry.search;

import dev.quarry.summary.CannedQuery;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A search request as {@code sql/search.sql} with its values: a pure mapping. */
public final class SearchSql {
    public static final String RESOURCE = CannedQuery.RESOURCE_PREFIX + "search.sql";
    public static final String OFFSET_TOKEN = "{{offset}}";
    /** The attribute filters the statement has room for, each {@code (? = '' OR try(attributes[?]) = ?)}. */
    static final int ATTRIBUTE_SLOTS = SearchRequest.MAX_ATTRIBUTES;
    /** {@code CAST(? AS timestamp)} reads this on both engines (Trino's {@code timestamp} is milliseconds). */
    static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static volatile String sql;

    private SearchSql() {
    }

    /** The statement as stored, without its leading comments, tokens still in it. */
    public static String sql() {
        String loaded = sql;
        if (loaded == null) {
            loaded = CannedQuery.withoutLeadingComments(CannedQuery.load(RESOURCE));
            sql = loaded;
        }
        return loaded;
    }

    /**
     * The statement for one page: one row more than the page, so the answer knows whether another page follows.
     *
     * @param closed whether the range can be answered again from an earlier result
     */
    static BoundSearch bind(SearchRequest request, boolean closed) {
        // Written in as literals because Athena takes ? only for values in WHERE; both are validated integers.
        String text = sql().replace(OFFSET_TOKEN, Long.toString(request.skip()))
                .replace(CannedQuery.LIMIT_TOKEN, Integer.toString(request.limit() + 1));
        List<String> values = new ArrayList<>();
        values.add(request.firstDay().toString());
        values.add(request.lastDay().toString());
        values.add(literal(request.from()));
        values.add(literal(request.to()));
        values.add(literal(request.before()));
        twice(values, request.source().orElse(""));
        twice(values, request.logtype().orElse(""));
        twice(values, request.q().map(SearchSql::caseInvariantRun).orElse(""));
        twice(values, request.q().orElse(""));
        List<Map.Entry<String, String>> attributes = new ArrayList<>(request.attributes().entrySet());
        for (int i = 0; i < ATTRIBUTE_SLOTS; i++) {
            String key = i < attributes.size() ? attributes.get(i).getKey() : "";
            twice(values, key);
            values.add(i < attributes.size() ? attributes.get(i).getValue() : "");
        }
        return new BoundSearch(text, values, request.firstDay(), request.lastDay(), closed, request.q().orElse(""),
                request.attributes());
    }

    /** The shortest run {@link #caseInvariantRun} returns: shorter ones are in too many messages to spare work. */
    static final int MIN_RUN = 3;

    /**
     * The first longest run in {@code q} of ASCII characters other than letters (digits, spaces, punctuation), or
     * {@code ""} when the longest is shorter than {@value #MIN_RUN}. No character lower-cases to one of these but
     * itself (on either engine, both map code point by code point), so a message that contains {@code q} ignoring
     * case contains the run exactly: {@code sql/search.sql} tests it case-sensitively first, without lower().
     */
    static String caseInvariantRun(String q) {
        int bestStart = 0;
        int bestLength = 0;
        int start = 0;
        for (int i = 0; i <= q.length(); i++) {
            if (i == q.length() || !caseInvariant(q.charAt(i))) {
                if (i - start > bestLength) {
                    bestStart = start;
                    bestLength = i - start;
                }
                start = i + 1;
            }
        }
        return bestLength < MIN_RUN ? "" : q.substring(bestStart, bestStart + bestLength);
    }

    /** ASCII, not a letter: nothing else lower-cases to it, and lower() leaves it as it is. */
    static boolean caseInvariant(char c) {
        return c < 0x80 && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
    }

    /**
     * {@code lower()} as both engines apply it to {@code q} and {@code message}: each code point by its simple
     * lower-case mapping (Trino's is {@link Character#toLowerCase(int)}, DuckDB's utf8proc's, the same Unicode data),
     * so that what matches outside the engines (the live tail) matches by the same rule. Not
     * {@link String#toLowerCase}, which is context-sensitive: a word-final {@code Σ} becomes {@code ς}, and {@code İ}
     * two characters.
     */
    public static String lower(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c) || Character.toLowerCase(c) != c) {
                StringBuilder lower = new StringBuilder(text.length()).append(text, 0, i);
                text.codePoints().skip(text.codePointCount(0, i))
                        .forEach(cp -> lower.appendCodePoint(Character.toLowerCase(cp)));
                return lower.toString();
            }
        }
        return text;
    }

    static String literal(Instant instant) {
        return LITERAL.format(instant);
    }

    private static void twice(List<String> values, String value) {
        values.add(value);
        values.add(value);
    }
}
