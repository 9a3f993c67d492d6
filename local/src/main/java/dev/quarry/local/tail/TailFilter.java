package dev.quarry.local.tail;

import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.SearchSql;
import dev.quarry.summary.QueryString;
import dev.quarry.summary.SummaryRequest.InvalidParametersException;
import dev.quarry.summary.SummaryRequest.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /tail}, validated by the search contract's rules: {@code source} and {@code logtype}
 * exact (the record's rules), {@code q} a substring of the message ignoring case (1 to 200 characters, every
 * character plain), and up to five {@code attr.<key>=<value>} exact matches. The range, {@code limit} and
 * {@code cursor} of a search do not apply to a tail, which follows records as they are acknowledged.
 *
 * @param q lower-cased code point by code point, as the engines' {@code lower()} ({@link SearchSql#lower})
 * @param attributes key to value, in the order given
 */
public record TailFilter(Optional<String> source, Optional<String> logtype, Optional<String> q,
        Map<String, String> attributes) {
    private static final int MAX_Q = SearchRequest.MAX_Q;
    private static final int MAX_ATTRIBUTES = SearchRequest.MAX_ATTRIBUTES;
    private static final int MAX_ATTRIBUTE_VALUE = SearchRequest.MAX_ATTRIBUTE_VALUE;
    private static final String ATTRIBUTE_PREFIX = SearchRequest.ATTRIBUTE_PREFIX;
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}\\z");
    private static final Set<String> SEARCH_ONLY = Set.of("from", "to", "limit", "cursor");

    public TailFilter {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** True when the record passes every filter given. */
    boolean matches(LogRecord record) {
        if (source.isPresent() && !source.get().equals(record.source())) {
            return false;
        }
        if (logtype.isPresent() && !logtype.get().equals(record.logtype())) {
            return false;
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (!attribute.getValue().equals(record.attributes().get(attribute.getKey()))) {
                return false;
            }
        }
        return q.isEmpty() || SearchSql.lower(record.message()).contains(q.get());
    }

    /**
     * Validates a request's query string: one violation per parameter at most, unknown parameters refused.
     *
     * @throws InvalidParametersException naming each parameter refused, answered with 400 as a summary's are
     */
    public static TailFilter parse(QueryString queryString) throws InvalidParametersException {
        List<Violation> violations = new ArrayList<>();
        queryString.malformed().forEach((name, detail) -> violations.add(new Violation(name,
                "cannot be decoded: " + detail)));
        Set<String> unknown = new TreeSet<>();
        String source = null;
        String logtype = null;
        String q = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : queryString.parameters().entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            boolean known = name.equals("source") || name.equals("logtype") || name.equals("q")
                    || name.startsWith(ATTRIBUTE_PREFIX);
            if (SEARCH_ONLY.contains(name)) {
                violations.add(new Violation(name, "does not apply to /tail, which follows records as they are"
                        + " acknowledged; use /search for a range"));
                continue;
            }
            if (!known) {
                unknown.add(name);
                continue;
            }
            if (values.size() > 1) {
                violations.add(new Violation(name, "is given " + values.size() + " times; give it at most once"));
                continue;
            }
            String value = values.get(0);
            String problem;
            switch (name) {
                case "source" -> {
                    problem = RecordParser.checkSource(value);
                    source = value;
                }
                case "logtype" -> {
                    problem = RecordParser.checkLogtype(value);
                    logtype = value;
                }
                case "q" -> {
                    problem = lengthProblem(value, MAX_Q);
                    q = SearchSql.lower(value);
                }
                default -> {
                    String key = name.substring(ATTRIBUTE_PREFIX.length());
                    if (!ATTRIBUTE_KEY.matcher(key).matches()) {
                        problem = "the key after 'attr.' must be 1 to 64 of A-Z a-z 0-9 _ . : -, not '"
                                + abbreviate(key) + "'";
                    } else {
                        problem = lengthProblem(value, MAX_ATTRIBUTE_VALUE);
                    }
                    attributes.put(key, value);
                }
            }
            if (problem != null) {
                violations.add(new Violation(name, problem));
            }
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            violations.add(new Violation(null, "at most " + MAX_ATTRIBUTES + " attr.<key> filters may be given, not "
                    + attributes.size()));
        }
        if (!unknown.isEmpty()) {
            violations.add(new Violation(null, (unknown.size() == 1 ? "unknown parameter " : "unknown parameters ")
                    + String.join(", ", unknown.stream().map(n -> "'" + abbreviate(n) + "'").toList())
                    + " (the parameters of /tail are source, logtype, q, attr.<key>)"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidParametersException(violations);
        }
        return new TailFilter(Optional.ofNullable(source), Optional.ofNullable(logtype), Optional.ofNullable(q),
                attributes);
    }

    private static String lengthProblem(String value, int max) {
        int characters = value.codePointCount(0, value.length());
        if (characters < 1 || characters > max) {
            return "must be 1 to " + max + " characters, not " + characters;
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
