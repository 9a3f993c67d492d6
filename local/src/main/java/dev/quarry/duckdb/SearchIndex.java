package dev.quarry.duckdb;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.LiveFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The skipping index of search: per table file, a sidecar {@code _NAME.terms.rollup} ({@link DataLayout#rollup},
 * kind {@value #KIND}) written in the step that writes the file and its rollups, and named by the same manifest
 * entry. It holds two Bloom filters (Guava's, about 1 % false positives):
 * <ul>
 * <li>the <em>tokens</em> of {@code lower(message)}, computed by DuckDB's own {@code lower}: the maximal runs of
 * characters that are not ASCII separators, a separator being any ASCII character but {@code a-z} and {@code 0-9}
 * (every non-ASCII character is a token character);</li>
 * <li>every attribute as {@code key + '\u0000' + value}, exactly (as {@code attr.<key>=<value>} matches).</li>
 * </ul>
 * A search may skip a file when some <em>interior token</em> of {@code lower(q)} ({@link #interiorTokens}) is not in
 * its token filter, or some requested attribute is not in its attribute filter. That is exact: if
 * {@code lower(message)} contains {@code lower(q)}, each run of token characters of {@code lower(q)} with a separator
 * right before and right after it inside {@code lower(q)} is bounded by those same separators in
 * {@code lower(message)}, so it is one of the message's tokens; a Bloom filter has no false negatives. A false
 * positive only costs the scan of a file. A file without the sidecar (written before it existed, or whose manifest
 * does not name it) is always scanned.
 *
 * <p>Why tokens and not trigrams: a file of tens of thousands of messages holds nearly every trigram of its
 * alphabet, so a per-file trigram filter says "maybe" for almost every term and prunes nothing; a token filter
 * prunes whenever the term holds a complete token that the file lacks (an order number, an id). A term with no
 * interior token ({@code timed out}, {@code er 123}) scans every file, as before.
 */
public final class SearchIndex {
    /** The sidecar's kind in the manifest's {@code rollups} entry. */
    public static final String KIND = "terms";
    /** The separators of a token in {@code lower(message)}: RE2 syntax, a SQL string literal's content. */
    static final String SEPARATORS = "[\\x00-\\x2f\\x3a-\\x60\\x7b-\\x7f]+";
    static final double FALSE_POSITIVES = 0.01;
    private static final int FORMAT = 1;
    /** Fewer expected insertions than this would make a filter no smaller worth having. */
    private static final long MIN_EXPECTED = 64;

    /** The filters of one file, and its sidecar's size (about the filters' bits, the memory they take). */
    record Filters(BloomFilter<CharSequence> tokens, BloomFilter<CharSequence> attributes, long bytes) {
        boolean mayHold(List<String> tokens, Map<String, String> attributes) {
            for (String token : tokens) {
                if (!this.tokens.mightContain(token)) {
                    return false;
                }
            }
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                if (!this.attributes.mightContain(pair(attribute.getKey(), attribute.getValue()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The loaded filters by table file: files are immutable and new writes have new names. */
    private final Map<Path, Filters> cache = new ConcurrentHashMap<>();

    /**
     * Writes the sidecar of {@code rows} (a table expression over one file's records) beside {@code dataFile}, if the
     * layout names one for it. Two passes over the rows, neither holding the tokens: DuckDB's
     * {@code approx_count_distinct} (HyperLogLog) sizes the filters, then the tokens of each message (distinct within
     * the message) and the attribute pairs stream from the result set into them.
     */
    static boolean write(Statement statement, String rows, Path dataFile) throws SQLException, IOException {
        Path sidecar = DataLayout.rollup(dataFile, KIND);
        if (sidecar == null) {
            return false;
        }
        String tokens = "SELECT unnest(list_distinct(string_split_regex(lower(message), '" + SEPARATORS
                + "'))) AS token FROM " + rows;
        String pairs = "SELECT unnest(map_keys(attributes)) AS k, unnest(map_values(attributes)) AS v FROM " + rows;
        long distinctTokens;
        long distinctPairs;
        try (ResultSet sizes = statement.executeQuery("SELECT (SELECT approx_count_distinct(token) FROM (" + tokens
                + ") WHERE token <> ''), (SELECT approx_count_distinct(k || '=' || v) FROM (" + pairs + "))")) {
            sizes.next();
            distinctTokens = sizes.getLong(1);
            distinctPairs = sizes.getLong(2);
        }
        BloomFilter<CharSequence> tokenFilter = filter(distinctTokens);
        try (ResultSet result = statement.executeQuery("SELECT token FROM (" + tokens + ") WHERE token <> ''")) {
            while (result.next()) {
                tokenFilter.put(result.getString(1));
            }
        }
        BloomFilter<CharSequence> pairFilter = filter(distinctPairs);
        try (ResultSet result = statement.executeQuery("SELECT k, v FROM (" + pairs + ") WHERE v IS NOT NULL")) {
            while (result.next()) {
                pairFilter.put(pair(result.getString(1), result.getString(2)));
            }
        }
        try (OutputStream file = Files.newOutputStream(sidecar);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            out.writeInt(FORMAT);
            tokenFilter.writeTo(out);
            pairFilter.writeTo(out);
        }
        return true;
    }

    private static BloomFilter<CharSequence> filter(long distinct) {
        // approx_count_distinct errs by a few per cent either way: a tenth more keeps the rate near 1 %.
        return BloomFilter.create(Funnels.unencodedCharsFunnel(), Math.max(MIN_EXPECTED, distinct + distinct / 10),
                FALSE_POSITIVES);
    }

    static String pair(String key, String value) {
        return key + '\u0000' + value;
    }

    static Filters read(Path sidecar) throws IOException {
        try (InputStream file = Files.newInputStream(sidecar);
                DataInputStream in = new DataInputStream(new BufferedInputStream(file))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException("Unknown search index format " + format + " in " + sidecar);
            }
            BloomFilter<CharSequence> tokens = BloomFilter.readFrom(in, Funnels.unencodedCharsFunnel());
            BloomFilter<CharSequence> attributes = BloomFilter.readFrom(in, Funnels.unencodedCharsFunnel());
            return new Filters(tokens, attributes, Files.size(sidecar));
        }
    }

    /**
     * The interior complete tokens of {@code lowerQ} (already {@code lower(q)} by DuckDB): each run of token
     * characters with a separator immediately before and after it inside {@code lowerQ}. {@code "order 12345:"} has
     * {@code 12345}; {@code "er 123"} and {@code "timed out"} have none.
     */
    static List<String> interiorTokens(String lowerQ) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < lowerQ.length(); i++) {
            if (separator(lowerQ.charAt(i))) {
                if (start > 0 && i > start) {
                    tokens.add(lowerQ.substring(start, i));
                }
                start = i + 1;
            }
        }
        return tokens;
    }

    /** An ASCII character other than {@code a-z} and {@code 0-9}: what {@link #SEPARATORS} matches. */
    static boolean separator(char c) {
        return c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9');
    }

    /**
     * The files a search for the tokens and attributes must read, in the order given: those whose filters may hold
     * them all, and every file without a sidecar. The cache keeps the filters of the files seen; entries of files
     * no longer live in {@code days} (the days the search lists, as directories) or gone from disk are dropped.
     */
    List<Path> mayHold(List<LiveFiles.Live> files, Collection<Path> days, List<String> tokens,
            Map<String, String> attributes) {
        Set<Path> live = new java.util.HashSet<>();
        files.forEach(file -> live.add(file.file()));
        cache.keySet().removeIf(file -> days.contains(file.getParent()) ? !live.contains(file) : !Files.exists(file));
        List<Path> read = new ArrayList<>();
        boolean prune = !tokens.isEmpty() || !attributes.isEmpty();
        for (LiveFiles.Live file : files) {
            Path sidecar = file.rollup(KIND);
            if (!prune || sidecar == null) {
                read.add(file.file());
                continue;
            }
            Filters filters = filters(file.file(), sidecar);
            if (filters == null || filters.mayHold(tokens, attributes)) {
                read.add(file.file());
            }
        }
        return read;
    }

    /** The file's filters, loaded once; null when its sidecar cannot be read (then the file is scanned). */
    private Filters filters(Path file, Path sidecar) {
        return cache.computeIfAbsent(file, f -> {
            try {
                return read(sidecar);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
    }

    /** The cached filters' size in bytes, for the docs' memory figure and tests. */
    long cachedBytes() {
        return cache.values().stream().mapToLong(Filters::bytes).sum();
    }
}
