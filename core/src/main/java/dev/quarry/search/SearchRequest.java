package dev.quarry.search;

import dev.quarry.record.RecordParser;
import dev.quarry.summary.QueryString;
import dev.quarry.summary.SummaryRequest;
import dev.quarry.summary.SummaryRequest.InvalidParametersException;
import dev.quarry.summary.SummaryRequest.Violation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The parameters of {@code GET /search}, validated by the summary API's query-string rules (one violation per
 * parameter at most, unknown parameters refused, each problem naming its parameter).
 *
 * @param from the first instant of the range (inclusive)
 * @param to the end of the range (exclusive)
 * @param q as sent; the engines compare {@code lower()} of both sides
 * @param attributes {@code attr.<key>} filters, key to value, ordered by key
 * @param cursor where this page starts; empty for the first page
 * @param binding the digest of every parameter but {@code cursor}, which a cursor must carry
 */
public record SearchRequest(Instant from, Instant to, Optional<String> source, Optional<String> logtype,
        Optional<String> q, Map<String, String> attributes, int limit, Optional<SearchCursor> cursor, String binding) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_Q = 200;
    public static final int MAX_ATTRIBUTES = 5;
    public static final int MAX_ATTRIBUTE_VALUE = 1024;
    public static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    public static final String ATTRIBUTE_PREFIX = "attr.";
    public static final Set<String> PARAMETERS = Set.of("from", "to", "source", "logtype", "q", "limit", "cursor");
    static final Instant EARLIEST = SummaryRequest.EARLIEST.atStartOfDay(ZoneOffset.UTC).toInstant();
    static final Instant LATEST = SummaryRequest.LATEST.atStartOfDay(ZoneOffset.UTC).toInstant();

    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}\\z");
    private static final Pattern INSTANT = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
            + "(\\.[0-9]{1,3})?Z\\z");
    private static final Pattern LIMIT = Pattern.compile("[1-9][0-9]{0,3}\\z");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}\\z");

    public SearchRequest {
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** The first day ({@code dt}) the range reads. */
    public LocalDate firstDay() {
        return LocalDate.ofInstant(from, ZoneOffset.UTC);
    }

    /** The last day ({@code dt}) the range reads: the day of its last millisecond. */
    public LocalDate lastDay() {
        return LocalDate.ofInstant(to.minusMillis(1), ZoneOffset.UTC);
    }

    /**
     * Validates the query string of a request.
     *
     * @param now for the default range, the last 24 hours up to now (inclusive)
     */
    public static SearchRequest parse(QueryString queryString, Instant now) throws InvalidParametersException {
        List<Violation> violations = new ArrayList<>();
        Set<String> refused = new TreeSet<>();
        queryString.malformed().forEach((name, detail) -> {
            violations.add(new Violation(name, "cannot be decoded: " + detail));
            refused.add(name);
        });
        Set<String> unknown = new TreeSet<>();
        Map<String, String> given = new TreeMap<>();
        for (Map.Entry<String, List<String>> parameter : queryString.parameters().entrySet()) {
            String name = parameter.getKey();
            if (!PARAMETERS.contains(name) && !name.startsWith(ATTRIBUTE_PREFIX)) {
                unknown.add(name);
            } else if (parameter.getValue().size() > 1) {
                violations.add(new Violation(name, "is given " + parameter.getValue().size()
                        + " times; give it at most once"));
                refused.add(name);
            } else {
                given.put(name, parameter.getValue().get(0));
            }
        }
        if (!unknown.isEmpty()) {
            violations.add(new Violation(null, (unknown.size() == 1 ? "unknown parameter " : "unknown parameters ")
                    + String.join(", ", unknown.stream().map(n -> "'" + abbreviate(n) + "'").toList())
                    + " (the parameters are from, to, source, logtype, q, attr.<key>, limit, cursor)"));
        }

        String fromText = given.get("from");
        String toText = given.get("to");
        Instant to = toText == null ? now.truncatedTo(ChronoUnit.MILLIS).plusMillis(1) : bound("to", toText, true,
                violations);
        Instant from = fromText == null ? (to == null ? null : to.minus(DEFAULT_SPAN)) : bound("from", fromText, false,
                violations);
        if (!refused.contains("from") && !refused.contains("to") && from != null && to != null) {
            checkRange(from, to, fromText != null, toText != null, violations);
        }

        String source = given.get("source");
        if (source != null) {
            add(violations, "source", RecordParser.checkSource(source));
        }
        String logtype = given.get("logtype");
        if (logtype != null) {
            add(violations, "logtype", RecordParser.checkLogtype(logtype));
        }
        String q = given.get("q");
        if (q != null) {
            add(violations, "q", length(q, MAX_Q));
        }
        Map<String, String> attributes = new TreeMap<>();
        for (Map.Entry<String, String> parameter : given.entrySet()) {
            if (!parameter.getKey().startsWith(ATTRIBUTE_PREFIX)) {
                continue;
            }
            String key = parameter.getKey().substring(ATTRIBUTE_PREFIX.length());
            if (!ATTRIBUTE_KEY.matcher(key).matches()) {
                violations.add(new Violation(parameter.getKey(), "the key after 'attr.' must be 1 to 64 of"
                        + " A-Z a-z 0-9 _ . : -, not '" + abbreviate(key) + "'"));
            } else if (!add(violations, parameter.getKey(), length(parameter.getValue(), MAX_ATTRIBUTE_VALUE))) {
                attributes.put(key, parameter.getValue());
            }
        }
        long attributeParameters = given.keySet().stream().filter(n -> n.startsWith(ATTRIBUTE_PREFIX)).count()
                + refused.stream().filter(n -> n.startsWith(ATTRIBUTE_PREFIX)).count();
        if (attributeParameters > MAX_ATTRIBUTES) {
            violations.add(new Violation(null, "at most " + MAX_ATTRIBUTES + " attr.<key> filters may be given, not "
                    + attributeParameters));
        }
        int limit = DEFAULT_LIMIT;
        String limitText = given.get("limit");
        if (limitText != null) {
            if (!LIMIT.matcher(limitText).matches() || Integer.parseInt(limitText) > MAX_LIMIT) {
                violations.add(new Violation("limit", "must be an integer from 1 to " + MAX_LIMIT + ", not '"
                        + abbreviate(limitText) + "'"));
            } else {
                limit = Integer.parseInt(limitText);
            }
        }

        Map<String, String> bound = new TreeMap<>(given);
        bound.remove("cursor");
        String binding = binding(bound);
        SearchCursor cursor = null;
        String cursorText = given.get("cursor");
        if (cursorText != null) {
            try {
                cursor = SearchCursor.decode(cursorText);
                if (!cursor.binding().equals(binding)) {
                    violations.add(new Violation("cursor", "belongs to a search with other parameters; repeat every"
                            + " other parameter of the page that gave it, unchanged (or leave the cursor out to"
                            + " start again)"));
                    cursor = null;
                } else {
                    // The first page's range: a default range ("the last 24 hours") must not move while paging.
                    from = cursor.from();
                    to = cursor.to();
                    checkRange(from, to, true, true, violations);
                }
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("cursor", e.getMessage()));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidParametersException(violations);
        }
        return new SearchRequest(from, to, Optional.ofNullable(source), Optional.ofNullable(logtype),
                Optional.ofNullable(q), attributes, limit, Optional.ofNullable(cursor), binding);
    }

    /** The cursor of the page after one that ended with a record at {@code last}, having {@code sameTimestamp} rows at it. */
    SearchCursor next(Instant last, long sameTimestamp) {
        long skip = cursor.filter(c -> c.before().equals(last)).map(SearchCursor::skip).orElse(0L) + sameTimestamp;
        return new SearchCursor(from, to, last, skip, binding);
    }

    /** Where this page starts: at or before this timestamp, skipping {@link #skip()} records of it. */
    Instant before() {
        return cursor.map(SearchCursor::before).orElse(to);
    }

    long skip() {
        return cursor.map(SearchCursor::skip).orElse(0L);
    }

    private static void checkRange(Instant from, Instant to, boolean fromGiven, boolean toGiven,
            List<Violation> violations) {
        String outside = "; instants from " + EARLIEST + " up to " + LATEST + " can be searched";
        if (from.isBefore(EARLIEST) || !from.isBefore(LATEST)) {
            violations.add(new Violation(fromGiven ? "from" : null, "the range starts at " + from + ", outside the"
                    + " supported days" + outside));
        } else if (to.isAfter(LATEST)) {
            violations.add(new Violation(toGiven ? "to" : null, "the range ends at " + to + ", outside the supported"
                    + " days" + outside));
        } else if (!from.isBefore(to)) {
            violations.add(new Violation("from", "must be before 'to' (the range " + from + " to " + to
                    + " is empty; a day as 'to' means its end, an instant as 'to' is exclusive)"));
        } else if (Duration.between(from, to).compareTo(Duration.ofDays(SummaryRequest.MAX_SPAN_DAYS)) > 0) {
            violations.add(new Violation(toGiven ? "to" : "from", "the range " + from + " to " + to + " spans more than "
                    + SummaryRequest.MAX_SPAN_DAYS + " days"));
        }
    }

    /** A day as 'from' is its start, as 'to' its end (the next day's start, exclusive); an instant is itself. */
    private static Instant bound(String name, String text, boolean end, List<Violation> violations) {
        try {
            if (DAY.matcher(text).matches()) {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (INSTANT.matcher(text).matches()) {
                return LocalDateTime.parse(text.substring(0, text.length() - 1)).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            violations.add(new Violation(name, "'" + abbreviate(text) + "' is not a calendar day and time"));
            return null;
        }
        violations.add(new Violation(name, "must be a UTC day YYYY-MM-DD or a UTC instant YYYY-MM-DDTHH:MM:SS[.fff]Z,"
                + " not '" + abbreviate(text) + "'"));
        return null;
    }

    /** A digest of the parameters, name by name in order: any difference in them gives another. */
    static String binding(Map<String, String> parameters) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            parameters.forEach((name, value) -> {
                for (String part : new String[] {name, value}) {
                    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                    digest.update((byte) ':');
                    digest.update(bytes);
                }
            });
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** @return true when a violation was added */
    private static boolean add(List<Violation> violations, String parameter, String problem) {
        if (problem == null) {
            return false;
        }
        violations.add(new Violation(parameter, problem));
        return true;
    }

    private static String length(String value, int max) {
        int characters = value.codePointCount(0, value.length());
        return characters < 1 || characters > max ? "must be 1 to " + max + " characters, not " + characters : null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** The filters as the answer echoes them. */
    Map<String, Object> filters() {
        Map<String, Object> filters = new LinkedHashMap<>();
        source.ifPresent(s -> filters.put("source", s));
        logtype.ifPresent(l -> filters.put("logtype", l));
        q.ifPresent(text -> filters.put("q", text));
        attributes.forEach((key, value) -> filters.put(ATTRIBUTE_PREFIX + key, value));
        filters.put("limit", limit);
        return filters;
    }
}
