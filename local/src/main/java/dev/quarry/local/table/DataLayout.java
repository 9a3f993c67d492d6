package dev.quarry.local.table;

import dev.quarry.catalog.PartitionKeys;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Every path and file name of a data directory, made here and nowhere else:
 * <pre>
 * .quarry.lock                         the lock of the one server that writes here
 * wal/segment-….ndjson                 the write-ahead log (named by {@code WriteAheadLog})
 * wal/commit-NAME.json                 a flush's commit record, from its commit point until it is complete
 * logs/dt=YYYY-MM-DD/NAME.parquet      the table's files
 * logs/dt=YYYY-MM-DD/.NAME.parquet.tmp a file being written (flush or merge), which no reader opens
 * logs/dt=YYYY-MM-DD/_NAME.KIND.rollup a table file's rollup (KIND hours or messages) or search index (KIND terms),
 *                                      when its manifest says so
 * logs/dt=YYYY-MM-DD/.NAME.KIND.rollup.tmp  a rollup being written, with its table file
 * logs/dt=YYYY-MM-DD/_manifest.json    the day's live files
 * spill/{query,flush,merge}/           where each DuckDB database spills past its memory limit (DuckDB's own files)
 * </pre>
 * A file written atomically is first written as {@code .NAME.tmp} beside its final name ({@code Durability}).
 */
public final class DataLayout {
    /** Starts with an underscore, as files readers of {@code dt=*}{@code /*.parquet} and Athena skip. */
    public static final String MANIFEST = "_manifest.json";
    public static final String LOCK = ".quarry.lock";
    private static final String COMMIT_PREFIX = "commit-";
    /** Every name this pipeline gives a table file starts so (flushes {@code quarry-…}, merges {@code quarry-merged-…}). */
    private static final String NAME_PREFIX = "quarry-";
    private static final String PARQUET = ".parquet";
    private static final String TEMPORARY = ".tmp";
    private static final String ROLLUP = ".rollup";
    /** The prefix that Hive-style readers of a partition directory skip. */
    private static final String HIDDEN = "_";
    /**
     * The kinds of rollup a table file can have: counts per hour, source and logtype; per message too; and the
     * search index's Bloom filters of its message tokens and attributes ({@code dev.quarry.duckdb.SearchIndex}).
     */
    public static final java.util.List<String> ROLLUP_KINDS = java.util.List.of("hours", "messages", "terms");

    private final Path root;

    private DataLayout(Path root) {
        this.root = root;
    }

    public static DataLayout of(Path dataDir) {
        return new DataLayout(dataDir);
    }

    public Path root() {
        return root;
    }

    public Path lockFile() {
        return root.resolve(LOCK);
    }

    public Path logs() {
        return root.resolve("logs");
    }

    /** The directory a DuckDB database ({@code query}, {@code flush} or {@code merge}) spills to. */
    public Path spill(String database) {
        return spill().resolve(database);
    }

    /** The spill directories' parent: what a server killed mid-spill left there is DuckDB's, and deleted at start. */
    public Path spill() {
        return root.resolve("spill");
    }

    public Path wal() {
        return root.resolve("wal");
    }

    /** {@code logs/dt=YYYY-MM-DD}. */
    public Path day(LocalDate day) {
        return logs().resolve(PartitionKeys.directoryName(day));
    }

    /** The commit record of the flush {@code name}. */
    public Path commit(String name) {
        return wal().resolve(COMMIT_PREFIX + name + ".json");
    }

    public static boolean isCommit(String fileName) {
        return fileName.startsWith(COMMIT_PREFIX);
    }

    /** A commit record whose atomic write was cut before its rename. */
    public static boolean isTornCommit(String fileName) {
        return fileName.startsWith("." + COMMIT_PREFIX) && fileName.endsWith(TEMPORARY);
    }

    /** The final name of the table file {@code name}. */
    public static String dataFile(String name) {
        return name + PARQUET;
    }

    /** Where the table file {@code name} is written before it is renamed into place. */
    public static String stagingFile(String name) {
        return "." + name + PARQUET + TEMPORARY;
    }

    public static boolean isStaging(String fileName) {
        return fileName.startsWith("." + NAME_PREFIX)
                && (fileName.endsWith(PARQUET + TEMPORARY) || fileName.endsWith(ROLLUP + TEMPORARY));
    }

    /**
     * The rollup of kind {@code kind} beside the table file {@code file}: {@code NAME.parquet} has
     * {@code _NAME.KIND.rollup}, its staging file {@code .NAME.parquet.tmp} has {@code .NAME.KIND.rollup.tmp}; null
     * for any other name (a file this pipeline did not name gets no rollup). Not {@code *.parquet}, so no glob over
     * the table's files reads a rollup as records; and starting with {@code _}, as {@code _manifest.json} does, so
     * that Hive-style readers of a {@code dt=} directory (Trino, Athena, Spark), which read every file but those
     * starting with {@code _} or {@code .}, skip it too.
     */
    public static Path rollup(Path file, String kind) {
        String name = file.getFileName().toString();
        if (isStaging(name) && name.endsWith(PARQUET + TEMPORARY)) {
            return file.resolveSibling(name.substring(0, name.length() - (PARQUET + TEMPORARY).length()) + "."
                    + kind + ROLLUP + TEMPORARY);
        }
        if (name.startsWith(NAME_PREFIX) && name.endsWith(PARQUET)) {
            return file.resolveSibling(HIDDEN + name.substring(0, name.length() - PARQUET.length()) + "." + kind
                    + ROLLUP);
        }
        return null;
    }

    /** The kinds of rollup that exist beside {@code file} (a staging file just written, or its final name). */
    public static java.util.Set<String> rollupsPresent(Path file) {
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (String kind : ROLLUP_KINDS) {
            Path rollup = rollup(file, kind);
            if (rollup != null && java.nio.file.Files.exists(rollup)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    public static boolean isRollup(String fileName) {
        return fileName.startsWith(HIDDEN + NAME_PREFIX) && fileName.endsWith(ROLLUP);
    }

    /** The files and every rollup they may have: what goes when they leave the table. */
    public static java.util.List<Path> withRollups(java.util.Collection<Path> files) {
        java.util.List<Path> all = new java.util.ArrayList<>(files);
        for (Path file : files) {
            for (String kind : ROLLUP_KINDS) {
                Path rollup = rollup(file, kind);
                if (rollup != null) {
                    all.add(rollup);
                }
            }
        }
        return all;
    }

    /** The temporary name of a file written atomically ({@code Durability.writeAtomically}). */
    public static String temporary(String fileName) {
        return "." + fileName + TEMPORARY;
    }

    public static Path manifest(Path dayDirectory) {
        return dayDirectory.resolve(MANIFEST);
    }
}
