package dev.quarry.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written fake of the search port over records in memory: it reads a {@link BoundSearch} as
 * {@code sql/search.sql} says (the parameters in their order, the offset and the limit written in) and applies the
 * statement's filters and order in Java. The engines' own runs of the SQL are the DuckDB and Trino tests.
 */
final class TestingSearchEngine implements SearchEngine {
    private static final Pattern OFFSET_LIMIT = Pattern.compile("OFFSET ([0-9]+)\\s+LIMIT ([0-9]+)\\s*\\z");
    /** The statement's ORDER BY: timestamp descending, then dt, source, logtype, message, sorted attributes. */
    static final Comparator<SearchRow> ORDER = Comparator.comparing(SearchRow::timestamp).reversed()
            .thenComparing(SearchRow::dt).thenComparing(SearchRow::source).thenComparing(SearchRow::logtype)
            .thenComparing(SearchRow::message).thenComparing(row -> row.attributes().toString());

    private final List<SearchRow> rows;
    final List<BoundSearch> searches = new ArrayList<>();

    TestingSearchEngine(List<SearchRow> rows) {
        this.rows = List.copyOf(rows);
    }

    @Override
    public List<SearchRow> search(BoundSearch search) {
        searches.add(search);
        List<String> p = search.parameters();
        Matcher paging = OFFSET_LIMIT.matcher(search.sql());
        if (!paging.find()) {
            throw new AssertionError("search.sql must end with OFFSET n LIMIT m: " + search.sql());
        }
        LocalDate first = LocalDate.parse(p.get(0));
        LocalDate last = LocalDate.parse(p.get(1));
        Instant from = instant(p.get(2));
        Instant to = instant(p.get(3));
        Instant before = instant(p.get(4));
        List<SearchRow> matching = new ArrayList<>();
        for (SearchRow row : rows) {
            LocalDate dt = LocalDate.parse(row.dt());
            boolean ok = !dt.isBefore(first) && !dt.isAfter(last) && !row.timestamp().isBefore(from)
                    && row.timestamp().isBefore(to) && !row.timestamp().isAfter(before)
                    && (p.get(5).isEmpty() || row.source().equals(p.get(6)))
                    && (p.get(7).isEmpty() || row.logtype().equals(p.get(8)))
                    // q's prefilter: the message holds q's case-invariant run exactly ('' when q has none)
                    && (p.get(9).isEmpty() || row.message().contains(p.get(10)))
                    && (p.get(11).isEmpty() || row.message().toLowerCase(Locale.ROOT)
                            .contains(p.get(12).toLowerCase(Locale.ROOT)));
            for (int slot = 0; slot < SearchSql.ATTRIBUTE_SLOTS; slot++) {
                int at = 13 + 3 * slot;
                ok &= p.get(at).isEmpty() || p.get(at + 2).equals(row.attributes().get(p.get(at + 1)));
            }
            if (ok) {
                matching.add(row);
            }
        }
        matching.sort(ORDER);
        int offset = Integer.parseInt(paging.group(1));
        int limit = Integer.parseInt(paging.group(2));
        return List.copyOf(matching.subList(Math.min(offset, matching.size()),
                Math.min(offset + limit, matching.size())));
    }

    private static Instant instant(String literal) {
        return LocalDateTime.parse(literal.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    static SearchRow row(String timestamp, String source, String logtype, String message, Map<String, String> attributes) {
        Instant instant = Instant.parse(timestamp);
        return new SearchRow(instant, LocalDate.ofInstant(instant, ZoneOffset.UTC).toString(), source, logtype, message,
                attributes);
    }
}
