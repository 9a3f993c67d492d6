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
 * entry. It holds two sets of Bloom filters (Guava's, at most 1 % false positives in all):
 * <ul>
 * <li>the <em>tokens</em> of {@code lower(message)}, lowered by DuckDB's own {@code lower} (the one the search
 * applies): the maximal runs of characters that are not separators ({@link #separator}: any ASCII character but
 * {@code a-z} and {@code 0-9}; every non-ASCII character is a token character);</li>
 * <li>every attribute as {@code key}, a NUL character, {@code value}, exactly (as {@code attr.<key>=<value>}
 * matches).</li>
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
    /** The false-positive rate of a file's filters of one kind, all together. */
    static final double FALSE_POSITIVES = 0.01;
    private static final int FORMAT = 1;
    /** The smallest filter: below this many elements a filter is a few hundred bytes whatever its rate. */
    private static final long MIN_CAPACITY = 1024;
    /** Recently put tokens, by hash: most of a message's tokens recur, and a hit spares the Bloom filter's hash. */
    private static final int RECENT = 4096;

    /**
     * Bloom filters that grow as elements arrive (a scalable Bloom filter): when the newest is full, another twice
     * its capacity at half its false-positive rate is added, so the rate of all together stays below
     * {@value #FALSE_POSITIVES} whatever the number of distinct elements, in one pass and without counting them
     * first. An element may be in any of them.
     */
    static final class Filter {
        /** How often the newest filter's fill is checked: often enough that it overshoots little. */
        private static final int CHECK_EVERY = 64;
        private final List<BloomFilter<CharSequence>> filters;
        private long capacity;
        private double rate;
        private int sinceCheck;

        Filter(long expected) {
            filters = new ArrayList<>();
            capacity = Math.max(MIN_CAPACITY, expected);
            rate = FALSE_POSITIVES / 2;
            filters.add(BloomFilter.create(Funnels.unencodedCharsFunnel(), capacity, rate));
        }

        private Filter(List<BloomFilter<CharSequence>> filters) {
            this.filters = filters;
        }

        void put(CharSequence element) {
            BloomFilter<CharSequence> newest = filters.get(filters.size() - 1);
            newest.put(element);
            if (++sinceCheck == CHECK_EVERY) {
                sinceCheck = 0;
                if (newest.approximateElementCount() >= capacity) {
                    capacity *= 2;
                    rate /= 2;
                    filters.add(BloomFilter.create(Funnels.unencodedCharsFunnel(), capacity, rate));
                }
            }
        }

        boolean mightContain(CharSequence element) {
            for (BloomFilter<CharSequence> filter : filters) {
                if (filter.mightContain(element)) {
                    return true;
                }
            }
            return false;
        }

        void writeTo(DataOutputStream out) throws IOException {
            out.writeInt(filters.size());
            for (BloomFilter<CharSequence> filter : filters) {
                filter.writeTo(out);
            }
        }

        static Filter readFrom(DataInputStream in) throws IOException {
            int count = in.readInt();
            if (count < 1 || count > 64) {
                throw new IOException("A search index with " + count + " filters of a kind");
            }
            List<BloomFilter<CharSequence>> filters = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                filters.add(BloomFilter.readFrom(in, Funnels.unencodedCharsFunnel()));
            }
            return new Filter(filters);
        }
    }

    /** The filters of one file, and its sidecar's size (about the filters' bits, the memory they take). */
    record Filters(Filter tokens, Filter attributes, long bytes) {
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
     * Writes the sidecar of {@code rows} (a table expression over one file's {@code records} records)
     * beside {@code dataFile}, if the layout names one for it. One pass over the messages and one over the
     * attributes, streamed from the result sets (the writer's and merger's connections stream them): DuckDB lowers
     * each message, the tokens are cut here by {@link #separator}, the rule {@link #interiorTokens} applies to
     * {@code q}; nothing holds the distinct tokens (a small cache of recent ones spares repeated puts).
     */
    static boolean write(Statement statement, String rows, long records, Path dataFile)
            throws SQLException, IOException {
        Path sidecar = DataLayout.rollup(dataFile, KIND);
        if (sidecar == null) {
            return false;
        }
        // Templated messages share most tokens: half a distinct token per record is a first guess that grows.
        Filter tokens = new Filter(records / 2);
        String[] recent = new String[RECENT];
        try (ResultSet result = statement.executeQuery("SELECT lower(message) FROM " + rows
                + " WHERE message IS NOT NULL")) {
            while (result.next()) {
                tokens(result.getString(1), token -> {
                    int hash = token.hashCode();
                    int slot = (hash ^ (hash >>> 16)) & (RECENT - 1);
                    if (!token.equals(recent[slot])) {
                        recent[slot] = token;
                        tokens.put(token);
                    }
                });
            }
        }
        // The number of attributes bounds their distinct pairs (and is it when ids are unique); a map's size is
        // cheap to read, unlike the messages' tokens.
        long pairs;
        try (ResultSet result = statement.executeQuery("SELECT coalesce(sum(cardinality(attributes)), 0) FROM "
                + rows)) {
            result.next();
            pairs = result.getLong(1);
        }
        Filter attributes = new Filter(pairs);
        try (ResultSet result = statement.executeQuery("SELECT k, v FROM (SELECT unnest(map_keys(attributes)) AS k,"
                + " unnest(map_values(attributes)) AS v FROM " + rows + ") WHERE v IS NOT NULL")) {
            while (result.next()) {
                attributes.put(pair(result.getString(1), result.getString(2)));
            }
        }
        try (OutputStream file = Files.newOutputStream(sidecar);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            out.writeInt(FORMAT);
            tokens.writeTo(out);
            attributes.writeTo(out);
        }
        return true;
    }

    /** Each token of {@code lower} (a lowered message): every maximal run of characters that are not separators. */
    static void tokens(String lower, java.util.function.Consumer<String> token) {
        int start = 0;
        for (int i = 0; i <= lower.length(); i++) {
            if (i == lower.length() || separator(lower.charAt(i))) {
                if (i > start) {
                    token.accept(lower.substring(start, i));
                }
                start = i + 1;
            }
        }
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
            Filter tokens = Filter.readFrom(in);
            Filter attributes = Filter.readFrom(in);
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

    /**
     * A separator of tokens: an ASCII character other than {@code a-z} and {@code 0-9}. Applied to text DuckDB has
     * lowered (messages and {@code q} alike), where no ASCII upper-case letter is left; Java's {@code char}s of
     * non-ASCII text (surrogates included) are all token characters, as their code points are.
     */
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
