package dev.quarry.local.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.os.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Merges a day's small Parquet files in the background, so that a steady stream of flushes (one file per day every
 * few seconds) does not leave queries to open thousands of files. Two policies, over every day of the table (late
 * days too):
 * <ul>
 * <li><b>tiered</b>, while files arrive: every file has a level, the larger of its generation (a flush's file is 0,
 * a merge of level-{@code n} files is {@code n + 1}, written in its name) and its size's level (1 from 1 MiB, 2 from
 * 8 MiB, 3 from 64 MiB: {@value #FAN_IN} times apart). As soon as a level holds {@value #FAN_IN} files they become one
 * file of the next level at least, so a merge's output always leaves its level and is never merged again with the
 * files it was made beside. A record is rewritten at most once per level: {@code log8} of the day's flushes (4 for
 * up to 32,767 flushes, a day at the 5 s default is 17,280), fewer when flushes are large; a day holds at most
 * {@value #FAN_IN} − 1 files per level (a few dozen at most). While a day is open (it received records within
 * {@code quietAfter}) its merges stay within {@link #openDayCap}, so the working memory of the largest merge does
 * not grow with the day being written;</li>
 * <li><b>quiet</b>: a day that received nothing for {@code quietAfter} is merged down to about one file per
 * {@code targetFileBytes}, at rest ({@link ParquetMerger#merge(List, Path, boolean)}: the form a day keeps for the
 * rest of its retention, so the merger may compress it harder; tiered merges are rewritten again soon). A file
 * at rest says so in its name ({@code quarry-merged-L3-rest-…}); a quiet day's lone file not at rest (a tiered
 * merge that happened to leave one file, or a file of an older version) is rewritten at rest by itself.</li>
 * </ul>
 * A compaction is a transaction: write the merge and its rollups under names readers ignore and sync them
 * ({@code staged}); rename the rollups, then the merge, into the day's directory ({@code renamed}, still unnamed by
 * the manifest, so no reader counts it); replace the inputs with it in the day's manifest ({@code committed}, the
 * commit point; the manifest names its rollups there too); delete the inputs and theirs after the grace period. A crash before the commit leaves an unreferenced merge, one after it unreferenced inputs: either way the
 * next start deletes what the manifest does not name ({@link TableState#unreferenced}).
 */
public final class Compactor {
    private static final Logger LOG = Logger.getLogger(Compactor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files of one level merged at once, and the size ratio between levels. */
    static final int FAN_IN = 8;
    /** The size that puts a file in level 1 whatever its generation; each further level is {@value #FAN_IN}× more. */
    static final long LEVEL_ONE_BYTES = 1024 * 1024;
    private static final Pattern MERGED = Pattern.compile("quarry-merged-L([0-9]{1,2})-.*");
    /** What a file at rest has after its level in its name. */
    static final String AT_REST = "rest-";
    /** An open day's merges stay within this share of the day (or {@code openDayFileBytes}, the larger). */
    static final int OPEN_DAY_SHARE = 16;
    /** Inputs of one merge at most: a long backlog is worked off in several merges. */
    static final int MAX_INPUTS = 256;

    private final TableState table;
    private final ParquetMerger merger;
    private final DeferredDeletion deletion;
    private final long targetFileBytes;
    private final long openDayFileBytes;
    private final Duration quietAfter;
    private final QuarryMetrics metrics;
    private final Checkpoints checkpoints;
    private volatile boolean stopping;

    public Compactor(TableState table, ParquetMerger merger, DeferredDeletion deletion, long targetFileBytes,
            Duration quietAfter, QuarryMetrics metrics) {
        this(table, merger, deletion, targetFileBytes, targetFileBytes, quietAfter, metrics, Checkpoints.NONE);
    }

    Compactor(TableState table, ParquetMerger merger, DeferredDeletion deletion, long targetFileBytes,
            Duration quietAfter, QuarryMetrics metrics, Checkpoints checkpoints) {
        this(table, merger, deletion, targetFileBytes, targetFileBytes, quietAfter, metrics, checkpoints);
    }

    /**
     * With {@code openDayFileBytes}: the largest file a tiered merge makes while its day still receives records
     * (at most {@code targetFileBytes}).
     */
    public Compactor(TableState table, ParquetMerger merger, DeferredDeletion deletion, long targetFileBytes,
            long openDayFileBytes, Duration quietAfter, QuarryMetrics metrics, Checkpoints checkpoints) {
        this.table = table;
        this.merger = merger;
        this.deletion = deletion;
        this.targetFileBytes = targetFileBytes;
        this.openDayFileBytes = openDayFileBytes;
        this.quietAfter = quietAfter;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
    }

    /** One merge: the day, its inputs, and which policy chose them. */
    record Plan(LocalDate day, List<String> inputs, String policy) {
    }

    /** What one committed merge did. */
    record Run(LocalDate day, String policy, int filesIn, long bytesIn, long bytesOut, long records, double seconds,
            String output) {
    }

    /** Stops between merges: a merge under way finishes or is left for the next start to clean up. */
    public void stop() {
        stopping = true;
    }

    /** Merges until no day needs it (or the compactor stops); the scheduler calls this every few seconds. */
    public void compactDue() {
        try {
            while (!stopping) {
                Plan plan = next();
                if (plan == null || compact(plan) == null) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (stopping) {
                // the server's stop interrupts a running merge (ClosedByInterruptException): expected, not a fault
                LOG.infof("Compaction stopped with the server; the day's files stay as they were: %s", e);
            } else {
                LOG.errorf("Compaction failed; the day's files stay as they were and it is tried again: %s", e);
            }
        }
    }

    /**
     * The most pressing merge: tiered merges first (the day with the most files), then quiet days. A day that
     * received records within {@code quietAfter} is open: its tiered merges stay within {@code openDayFileBytes}.
     */
    Plan next() throws IOException {
        Map<LocalDate, List<String>> snapshot = table.snapshot();
        Plan best = null;
        int bestFiles = 0;
        long now = System.nanoTime();
        for (Map.Entry<LocalDate, List<String>> day : snapshot.entrySet()) {
            if (day.getValue().size() < 2) {
                continue;
            }
            Map<String, Long> sizes = sizes(day.getKey(), day.getValue());
            List<String> tiered = tiered(sizes, open(day.getKey(), now)
                    ? openDayCap(sizes, openDayFileBytes, targetFileBytes) : targetFileBytes);
            if (!tiered.isEmpty() && day.getValue().size() > bestFiles) {
                best = new Plan(day.getKey(), tiered, "tiered");
                bestFiles = day.getValue().size();
            }
        }
        if (best != null) {
            return best;
        }
        for (Map.Entry<LocalDate, List<String>> day : snapshot.entrySet()) {
            if (day.getValue().isEmpty() || open(day.getKey(), now)) {
                continue;
            }
            List<String> quiet = quiet(sizes(day.getKey(), day.getValue()), targetFileBytes);
            if (!quiet.isEmpty()) {
                return new Plan(day.getKey(), quiet, "quiet");
            }
        }
        return null;
    }

    /** Whether the day received records within {@code quietAfter} of {@code now} ({@link System#nanoTime}). */
    private boolean open(LocalDate day, long now) {
        return now - table.changedNanos(day) < quietAfter.toNanos();
    }

    private Map<String, Long> sizes(LocalDate day, List<String> files) throws IOException {
        Path directory = table.directory(day);
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String file : files) {
            try {
                sizes.put(file, Files.size(directory.resolve(file)));
            } catch (NoSuchFileException e) {
                // Removed by retention since the snapshot; the commit would be refused anyway.
            }
        }
        return sizes;
    }

    /**
     * The oldest {@value #FAN_IN} files of the lowest level holding that many (within the target), if any. Files
     * at the target size are finished and take no part.
     */
    static List<String> tiered(Map<String, Long> sizes, long targetFileBytes) {
        Map<Integer, List<String>> levels = new java.util.TreeMap<>();
        sizes.entrySet().stream().filter(e -> e.getValue() < targetFileBytes).sorted(Map.Entry.comparingByKey())
                .forEach(e -> levels.computeIfAbsent(level(e.getKey(), e.getValue()), l -> new ArrayList<>())
                        .add(e.getKey()));
        for (List<String> files : levels.values()) {
            if (files.size() >= FAN_IN) {
                List<String> chosen = within(files.subList(0, FAN_IN), sizes, targetFileBytes);
                if (chosen.size() >= 2) {
                    return chosen;
                }
            }
        }
        return List.of();
    }

    /**
     * The largest file a merge makes while its day is open: {@code openDayFileBytes}, or a {@value #OPEN_DAY_SHARE}th
     * of the day's bytes once the day is larger than that many such files (so a large day still keeps a few dozen
     * files), never more than the target.
     */
    static long openDayCap(Map<String, Long> sizes, long openDayFileBytes, long targetFileBytes) {
        long dayBytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        return Math.min(targetFileBytes, Math.max(openDayFileBytes, dayBytes / OPEN_DAY_SHARE));
    }

    /** A file's level: the larger of its generation and its size's level. */
    static int level(String file, long bytes) {
        return Math.max(generation(file), sizeLevel(bytes));
    }

    /** 0 for a flush's file, else the level written in a merge's name (1 for a merge named before levels). */
    static int generation(String file) {
        if (!file.startsWith("quarry-merged-")) {
            return 0;
        }
        Matcher matcher = MERGED.matcher(file);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : 1;
    }

    static int sizeLevel(long bytes) {
        int level = 0;
        for (long bound = LEVEL_ONE_BYTES; bytes >= bound && level < 20; bound *= FAN_IN) {
            level++;
        }
        return level;
    }

    /** The level of a merge's output: above every input's, or higher if its size says so. */
    static int outputLevel(Map<String, Long> inputSizes, long bytesOut) {
        int highest = inputSizes.entrySet().stream().mapToInt(e -> level(e.getKey(), e.getValue())).max()
                .orElse(0);
        return Math.max(highest + 1, sizeLevel(bytesOut));
    }

    /**
     * The smallest files that fit together in the target, if there are two or more; else the smallest file below
     * the target not yet at rest, alone; else none.
     */
    static List<String> quiet(Map<String, Long> sizes, long targetFileBytes) {
        List<String> smallestFirst = sizes.entrySet().stream().filter(e -> e.getValue() < targetFileBytes)
                .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        List<String> chosen = within(smallestFirst, sizes, targetFileBytes);
        if (chosen.size() >= 2) {
            return chosen;
        }
        return smallestFirst.stream().filter(file -> !atRest(file)).findFirst().map(List::of).orElse(List.of());
    }

    /** Whether the file was written by a quiet day's merge ({@link #AT_REST} after its level). */
    public static boolean atRest(String file) {
        Matcher matcher = MERGED.matcher(file);
        return matcher.matches() && file.startsWith(AT_REST, matcher.end(1) + 1);
    }

    private static List<String> within(List<String> files, Map<String, Long> sizes, long targetFileBytes) {
        List<String> chosen = new ArrayList<>();
        long bytes = 0;
        for (String file : files) {
            if (chosen.size() >= MAX_INPUTS || bytes + sizes.get(file) > targetFileBytes) {
                break;
            }
            chosen.add(file);
            bytes += sizes.get(file);
        }
        return chosen;
    }

    /** Runs one merge as a transaction; null when its commit was refused (a day removed meanwhile). */
    Run compact(Plan plan) throws IOException {
        long started = System.nanoTime();
        Path directory = table.directory(plan.day());
        String name = String.format("%016x-%016x", System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
        Path staging = directory.resolve(DataLayout.stagingFile("quarry-merged-" + name));
        List<Path> inputs = plan.inputs().stream().sorted(Comparator.naturalOrder()).map(directory::resolve).toList();
        Map<String, Long> inputSizes = new LinkedHashMap<>();
        long bytesIn = 0;
        long records;
        Path target;
        java.util.Set<String> rollups;
        try {
            for (Path input : inputs) {
                long bytes = Files.size(input);
                inputSizes.put(input.getFileName().toString(), bytes);
                bytesIn += bytes;
            }
            boolean atRest = plan.policy().equals("quiet");
            records = merger.merge(inputs, staging, atRest);
            Durability.syncFile(staging);
            target = directory.resolve(DataLayout.dataFile("quarry-merged-L"
                    + outputLevel(inputSizes, Files.size(staging)) + "-" + (atRest ? AT_REST : "") + name));
            rollups = DataLayout.rollupsPresent(staging);
            for (String kind : rollups) {
                Durability.syncFile(DataLayout.rollup(staging, kind));
            }
        } catch (IOException | RuntimeException e) {
            for (Path file : DataLayout.withRollups(List.of(staging))) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        checkpoints.reached("staged");
        for (String kind : rollups) {
            Files.move(DataLayout.rollup(staging, kind), DataLayout.rollup(target, kind),
                    StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        Durability.syncDirectory(directory);
        checkpoints.reached("renamed");
        if (!table.replace(plan.day(), plan.inputs(), target.getFileName().toString(), rollups)) {
            for (Path file : DataLayout.withRollups(List.of(target))) {
                Files.deleteIfExists(file);
            }
            return null;
        }
        checkpoints.reached("committed");
        deletion.deleteLater(DataLayout.withRollups(inputs));
        long bytesOut = Files.size(target);
        double seconds = (System.nanoTime() - started) / 1e9;
        Run run = new Run(plan.day(), plan.policy(), inputs.size(), bytesIn, bytesOut, records, seconds,
                target.getFileName().toString());
        if (metrics != null) {
            metrics.compacted(run.filesIn(), run.bytesIn(), run.bytesOut(), run.records(), run.seconds());
        }
        LOG.info(logLine(run));
        return run;
    }

    /** One JSON object per run, so that the log can be read by machine as well as by eye. */
    static String logLine(Run run) {
        var node = JSON.createObjectNode().put("event", "compaction").put("dt", PartitionKeys.value(run.day()))
                .put("policy", run.policy()).put("files_in", run.filesIn()).put("files_out", 1)
                .put("bytes_in", run.bytesIn()).put("bytes_out", run.bytesOut()).put("records", run.records())
                .put("seconds", Math.round(run.seconds() * 1000) / 1000.0).put("output", run.output());
        return node.toString();
    }
}
