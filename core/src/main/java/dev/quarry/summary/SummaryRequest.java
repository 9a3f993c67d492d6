package dev.quarry.summary;

import dev.quarry.record.RecordParser;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The parameters of {@code GET /summary/{query}}, validated: {@code from} and {@code to} (UTC days, inclusive),
 * optional {@code source} and {@code logtype} filters with the record contract's rules, and {@code limit}
 * (top-messages only).
 *
 * @param logtype the logtype counted: the one requested, else the query's default, else empty (every logtype)
 * @param limit for a query that {@linkplain CannedQuery#takesLimit() takes a limit}, 1 to {@value #MAX_LIMIT}
 */
public record SummaryRequest(CannedQuery query, LocalDate from, LocalDate to, Optional<String> source,
        Optional<String> logtype, Optional<Integer> limit) {

    public static final int MAX_SPAN_DAYS = 92;
    public static final int DEFAULT_SPAN_DAYS = 7;
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;
    public static final Set<String> PARAMETERS = Set.of("from", "to", "source", "logtype", "limit");
    /**
     * The days a range may cover, from the first (inclusive) to the last (exclusive): a record's timestamp must lie
     * in the recency window, so no {@code dt} outside these can exist, and a bound far outside (a year 0, a year
     * 10000) would print as something other than {@code YYYY-MM-DD}.
     */
    public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    public static final LocalDate LATEST = LocalDate.of(2100, 1, 1);

    /** {@code \z}, not {@code $}: a trailing newline must not pass. */
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}\\z");
    private static final Pattern LIMIT = Pattern.compile("[1-9][0-9]{0,2}\\z");

    /** One reason the parameters were refused. */
    public record Violation(String parameter, String detail) {
        public String describe() {
            return parameter == null ? detail : "parameter '" + parameter + "': " + detail;
        }
    }

    /** Parameters that break the summary contract; the request is answered with 400. */
    public static final class InvalidParametersException extends Exception {
        private final transient List<Violation> violations;

        public InvalidParametersException(List<Violation> violations) {
            super(violations.stream().map(Violation::describe).collect(java.util.stream.Collectors.joining("; ")),
                    null, false, false);
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }

    /**
     * Validates decoded parameters (each taken as it is).
     *
     * @param parameters every query parameter as sent, each with all its values
     * @param today the current UTC day, for the default range
     */
    public static SummaryRequest parse(CannedQuery query, Map<String, List<String>> parameters, LocalDate today)
            throws InvalidParametersException {
        return parse(query, QueryString.of(parameters), today);
    }

    /**
     * Validates the query string of a request. Each parameter gets at most one violation: one that cannot be decoded
     * or is given twice is not checked further, and the range is checked only when both its ends are usable.
     *
     * @param today the current UTC day, for the default range
     */
    public static SummaryRequest parse(CannedQuery query, QueryString queryString, LocalDate today)
            throws InvalidParametersException {
        List<Violation> violations = new ArrayList<>();
        Set<String> refused = new HashSet<>();
        queryString.malformed().forEach((name, detail) -> {
            violations.add(new Violation(name, "cannot be decoded: " + detail));
            refused.add(name);
        });
        Map<String, List<String>> parameters = queryString.parameters();
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (!PARAMETERS.contains(name)) {
                unknown.add(name);
            } else if (parameter.getValue().size() > 1) {
                violations.add(new Violation(name, "is given " + parameter.getValue().size()
                        + " times; give it at most once"));
                refused.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            violations.add(new Violation(null, (unknown.size() == 1 ? "unknown parameter " : "unknown parameters ")
                    + String.join(", ", unknown.stream().map(n -> "'" + n + "'").toList())
                    + " (the parameters are from, to, source, logtype, limit)"));
        }

        String fromText = single(parameters, "from", refused);
        String toText = single(parameters, "to", refused);
        boolean rangeUsable = !refused.contains("from") && !refused.contains("to");
        LocalDate to = toText == null ? today : day("to", toText, violations);
        LocalDate from = fromText == null ? (to == null ? null : to.minusDays(DEFAULT_SPAN_DAYS - 1))
                : day("from", fromText, violations);
        if (rangeUsable && from != null && to != null) {
            String outside = "; days from " + EARLIEST + " to " + LATEST.minusDays(1) + " can be summarised";
            if (fromText != null && !within(from)) {
                violations.add(new Violation("from", "'" + fromText + "' is outside the supported days" + outside));
            } else if (toText != null && !within(to)) {
                violations.add(new Violation("to", "'" + toText + "' is outside the supported days" + outside));
            } else if (!within(from) || !within(to)) {
                // Only a default bound can be left: the seven days ending at 'to', or today (clock or 'from' far off).
                String given = fromText != null ? "from" : toText != null ? "to" : null;
                violations.add(new Violation(given, "the default range " + from + " to " + to
                        + " leaves the supported days" + outside + "; give both 'from' and 'to'"));
            } else if (from.isAfter(to)) {
                violations.add(new Violation("from", "must not be after 'to' (" + from + " is after " + to + ")"));
            } else if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_SPAN_DAYS) {
                violations.add(new Violation("to", "the range " + from + " to " + to + " spans "
                        + (ChronoUnit.DAYS.between(from, to) + 1) + " days; it may span at most " + MAX_SPAN_DAYS));
            }
        }

        String source = single(parameters, "source", refused);
        if (source != null) {
            if (!query.acceptsSource()) {
                violations.add(new Violation("source", "does not apply to " + query.queryName()));
            } else {
                String problem = RecordParser.checkSource(source);
                if (problem != null) {
                    violations.add(new Violation("source", problem));
                }
            }
        }
        String logtype = single(parameters, "logtype", refused);
        if (logtype != null && !query.acceptsLogtype() && logtype.equals(CannedQuery.ERROR_LOGTYPE)) {
            // The one logtype errors-by-hour counts: a no-op, so a page filtered to errors can send it to every panel.
            logtype = null;
        }
        if (logtype != null) {
            if (!query.acceptsLogtype()) {
                violations.add(new Violation("logtype", "does not apply to " + query.queryName()
                        + ", which counts logtype '" + CannedQuery.ERROR_LOGTYPE + "' only"));
            } else {
                String problem = RecordParser.checkLogtype(logtype);
                if (problem != null) {
                    violations.add(new Violation("logtype", problem));
                }
            }
        }
        String limitText = single(parameters, "limit", refused);
        Integer limit = query.takesLimit() ? DEFAULT_LIMIT : null;
        if (limitText != null) {
            if (!query.takesLimit()) {
                violations.add(new Violation("limit", "applies only to top-messages"));
            } else if (!LIMIT.matcher(limitText).matches() || Integer.parseInt(limitText) > MAX_LIMIT) {
                violations.add(new Violation("limit", "must be an integer from 1 to " + MAX_LIMIT + ", not '"
                        + abbreviate(limitText) + "'"));
            } else {
                limit = Integer.parseInt(limitText);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidParametersException(violations);
        }
        return new SummaryRequest(query, from, to, Optional.ofNullable(source),
                Optional.ofNullable(logtype).or(query::defaultLogtype), Optional.ofNullable(limit));
    }

    /** The SQL with the limit written in, and the value of each placeholder. */
    public BoundQuery bind() {
        String sql = query.sql();
        if (query.takesLimit()) {
            // Written in as a literal because Athena takes ? only for values in WHERE; it is an int from 1 to 100.
            sql = sql.replace(CannedQuery.LIMIT_TOKEN, Integer.toString(limit.orElseThrow()));
        }
        List<String> values = new ArrayList<>();
        for (CannedQuery.Parameter parameter : query.parameters()) {
            values.add(switch (parameter) {
                case FROM -> from.toString();
                case TO -> to.toString();
                case SOURCE -> source.orElse("");
                case LOGTYPE -> logtype.orElse("");
            });
        }
        return new BoundQuery(query, sql, values, from, to);
    }

    /** The one value of a parameter, or null when it is absent or already refused. */
    private static String single(Map<String, List<String>> parameters, String name, Set<String> refused) {
        if (refused.contains(name)) {
            return null;
        }
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean within(LocalDate day) {
        return !day.isBefore(EARLIEST) && day.isBefore(LATEST);
    }

    private static LocalDate day(String name, String text, List<Violation> violations) {
        if (DAY.matcher(text).matches()) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                violations.add(new Violation(name, "'" + text + "' is not a calendar day"));
                return null;
            }
        }
        violations.add(new Violation(name, "must be a UTC day YYYY-MM-DD, not '" + abbreviate(text) + "'"));
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
