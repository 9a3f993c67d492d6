package dev.quarry.duckdb;

import static dev.quarry.local.TestingDataset.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.search.SearchRow;
import dev.quarry.search.SearchToJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Records made to be searched, and searches over them, both from one seeded random: few distinct timestamps per day
 * (so many records share one), identical duplicates within a flush and across flushes (so across files), messages
 * holding LIKE's wildcard characters, a backslash, quotes and letters in both cases beyond ASCII, and attributes
 * from a small pool. {@link #matches} is what {@code GET /search} is to answer, written out in Java.
 */
final class SearchFixture {
    static final LocalDate FIRST_DAY = LocalDate.parse("2026-03-15");
    static final int DAYS = 5;
    private static final List<String> SOURCES = List.of("web", "api", "worker", "o'brien");
    private static final List<String> LOGTYPES = List.of("error", "info", "security.alert");
    private static final List<String> MESSAGES = List.of("Timeout after 50% of 5_s", "timeout", "TIMEOUT reading"
            + " C:\\temp\\x.log", "disk full", "Disk Full", "user_id=42 * not found", "100%_done", "it's fine",
            "ÉCHEC de connexion", "échec", "Straße gesperrt", "ΣΊΣΥΦΟΣ", "line one\nline two", "Ünïcödé ok",
            "GET /api/v1/items?id=7&x=%41 500", "a_b%c\\d*e", "50%", "_");
    private static final List<String> PLAIN_QUERIES = List.of("%", "_", "\\", "*", "'", "50%", "5_S", "%_", "t_meout",
            "o'b", "\n", "%41", "a_B%C\\D*E", "ÉCHEC", "échec", "STRASSE", "straße", "σίσυφοσ", "ΣΊΣΥΦΟΣ", "üNÏ",
            "nothing like it", "timeout ", " ");

    final List<List<ObjectNode>> flushes = new ArrayList<>();
    final List<SearchRow> rows = new ArrayList<>();
    private final Random random;

    SearchFixture(long seed, int flushes, int recordsPerFlush) {
        random = new Random(seed);
        List<Instant> instants = new ArrayList<>();
        for (int day = 0; day < DAYS; day++) {
            Instant start = FIRST_DAY.plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant();
            for (int i = 0; i < 8; i++) {
                // Hours 0-22: received a minute later, every record is filed under its own day.
                instants.add(start.plusMillis(random.nextInt(23 * 3_600_000)));
            }
        }
        ObjectNode previous = null;
        for (int f = 0; f < flushes; f++) {
            List<ObjectNode> flush = new ArrayList<>();
            for (int r = 0; r < recordsPerFlush; r++) {
                ObjectNode record;
                if (previous != null && random.nextInt(4) == 0) {
                    record = previous.deepCopy(); // an identical duplicate, in this flush or the next
                } else {
                    record = record(pick(SOURCES), pick(LOGTYPES), SearchToJson.TIMESTAMP.format(pick(instants)),
                            random.nextInt(3) == 0 ? "req-" + random.nextInt(1000) + " " + pick(MESSAGES)
                                    : pick(MESSAGES));
                    ObjectNode attributes = record.putObject("attributes");
                    if (random.nextBoolean()) {
                        attributes.put("request_id", "r-" + random.nextInt(40));
                    }
                    if (random.nextInt(3) == 0) {
                        attributes.put("trace_id", "t-" + random.nextInt(4));
                    }
                    if (random.nextInt(4) == 0) {
                        attributes.put("user", pick(List.of("alice", "bob", "O'Neil", "50%_x")));
                    }
                    if (attributes.isEmpty()) {
                        record.remove("attributes");
                    }
                }
                flush.add(record);
                rows.add(row(record));
                previous = record;
            }
            this.flushes.add(flush);
        }
    }

    private static SearchRow row(ObjectNode record) {
        Instant timestamp = Instant.parse(record.get("timestamp").asText());
        Map<String, String> attributes = new TreeMap<>();
        record.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        return new SearchRow(timestamp, LocalDate.ofInstant(timestamp, ZoneOffset.UTC).toString(),
                record.get("source").asText(), record.get("logtype").asText(), record.get("message").asText(),
                attributes);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A random search's parameters (all but limit and cursor), as query-string name to value. */
    Map<String, String> search() {
        Map<String, String> parameters = new LinkedHashMap<>();
        switch (random.nextInt(4)) {
            case 0 -> { // whole days
                int first = random.nextInt(DAYS + 2) - 1;
                int last = first + random.nextInt(DAYS + 1 - Math.max(first, 0));
                parameters.put("from", FIRST_DAY.plusDays(first).toString());
                parameters.put("to", FIRST_DAY.plusDays(last).toString());
            }
            case 1, 2 -> { // instants at stored timestamps (or a millisecond beside), so a bound cuts a tie group
                Instant a = pick(rows).timestamp().plusMillis(random.nextInt(3) - 1);
                Instant b = pick(rows).timestamp().plusMillis(random.nextInt(3) - 1);
                if (a.equals(b)) {
                    b = b.plusMillis(1);
                }
                parameters.put("from", SearchToJson.TIMESTAMP.format(a.isBefore(b) ? a : b));
                parameters.put("to", SearchToJson.TIMESTAMP.format(a.isBefore(b) ? b : a));
            }
            default -> { // a day and an instant
                int day = random.nextInt(DAYS);
                Instant start = FIRST_DAY.plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant();
                parameters.put("from", FIRST_DAY.plusDays(day).toString());
                parameters.put("to", SearchToJson.TIMESTAMP.format(start.plusMillis(1
                        + random.nextInt((DAYS - day) * 86_400_000))));
            }
        }
        if (random.nextInt(3) == 0) {
            parameters.put("source", random.nextInt(8) == 0 ? "nobody" : pick(SOURCES));
        }
        if (random.nextInt(3) == 0) {
            parameters.put("logtype", pick(LOGTYPES));
        }
        if (random.nextInt(2) == 0) {
            parameters.put("q", random.nextInt(3) == 0 ? pick(PLAIN_QUERIES) : substringInSomeCase(pick(rows).message()));
        }
        int attributes = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < attributes; i++) {
            SearchRow row = pick(rows);
            if (row.attributes().isEmpty() || random.nextInt(6) == 0) {
                parameters.put("attr.request_id", "r-" + random.nextInt(50));
            } else {
                Map.Entry<String, String> entry = pick(new ArrayList<>(row.attributes().entrySet()));
                parameters.put("attr." + entry.getKey(), entry.getValue());
            }
        }
        return parameters;
    }

    /** Up to 12 code points of the message, from anywhere in it, each letter upper or lower case at random. */
    private String substringInSomeCase(String message) {
        int[] points = message.codePoints().toArray();
        int start = random.nextInt(points.length);
        int end = start + 1 + random.nextInt(Math.min(12, points.length - start));
        StringBuilder q = new StringBuilder();
        for (int i = start; i < end; i++) {
            int c = points[i];
            q.appendCodePoint(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return q.toString();
    }

    int limit(long matching) {
        // Limits 1..1000, small ones often; a page count kept to about 25 so that paging a search stays quick.
        int limit = random.nextBoolean() ? 1 + random.nextInt(5) : 1 + random.nextInt(1000);
        return (int) Math.max(limit, Math.min(1000, (matching + 24) / 25));
    }

    /** The records the search matches, in fixture order (the contract's rules, in Java). */
    List<SearchRow> matches(Map<String, String> parameters) {
        Instant from = bound(parameters.get("from"), false);
        Instant to = bound(parameters.get("to"), true);
        List<SearchRow> matches = new ArrayList<>();
        for (SearchRow row : rows) {
            boolean attributes = true;
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                if (parameter.getKey().startsWith("attr.")) {
                    attributes &= parameter.getValue().equals(row.attributes().get(parameter.getKey().substring(5)));
                }
            }
            if (!row.timestamp().isBefore(from) && row.timestamp().isBefore(to)
                    && (!parameters.containsKey("source") || parameters.get("source").equals(row.source()))
                    && (!parameters.containsKey("logtype") || parameters.get("logtype").equals(row.logtype()))
                    && (!parameters.containsKey("q") || lower(row.message()).contains(lower(parameters.get("q"))))
                    && attributes) {
                matches.add(row);
            }
        }
        return matches;
    }

    /** SQL's lower() on both engines: code point by code point (Java's String.toLowerCase is context-sensitive). */
    static String lower(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        text.codePoints().forEach(c -> lower.appendCodePoint(Character.toLowerCase(c)));
        return lower.toString();
    }

    private static Instant bound(String text, boolean end) {
        if (text.length() == 10) {
            LocalDate day = LocalDate.parse(text);
            return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
    }

    static String queryString(Map<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        for (Iterator<Map.Entry<String, String>> it = parameters.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> parameter = it.next();
            query.append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            if (it.hasNext()) {
                query.append('&');
            }
        }
        return query.toString();
    }
}
