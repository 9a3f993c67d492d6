package dev.quarry.local.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.os.Durability;
import dev.quarry.local.table.SegmentConverter;
import dev.quarry.local.table.Checkpoints;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.TableState;
import dev.quarry.local.wal.Segment;
import dev.quarry.local.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Moves buffered records from the write-ahead log into Parquet, so that a segment is deleted only once its
 * records are in files that readers see. A flush is a small transaction:
 * <ol>
 * <li>close the current segment;</li>
 * <li>write one staging file per day ({@code .quarry-….parquet.tmp}, which readers ignore) and its rollups
 * ({@code .quarry-….KIND.rollup.tmp}), and sync them;</li>
 * <li>write a commit manifest naming the staging files, their final names and the segments (the commit point);</li>
 * <li>rename the files into place, sync their directories, add them to the {@link TableState} (which readers
 * see);</li>
 * <li>delete the segments, then the manifest.</li>
 * </ol>
 * {@link #recover} finishes a flush that a crash cut after step 3 and discards one cut before it, so a record is
 * never both in Parquet and replayed from the log.
 */
public final class Flusher {
    private static final Logger LOG = Logger.getLogger(Flusher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WriteAheadLog wal;
    private final DataLayout layout;
    private final Path walDirectory;
    private final Path logsDirectory;
    private final SegmentConverter converter;
    private final TableState table;
    private final Checkpoints checkpoints;

    public Flusher(WriteAheadLog wal, Path dataDir, SegmentConverter converter, TableState table) {
        this(wal, dataDir, converter, table, Checkpoints.NONE);
    }

    Flusher(WriteAheadLog wal, Path dataDir, SegmentConverter converter, TableState table, Checkpoints checkpoints) {
        this.table = table;
        this.checkpoints = checkpoints;
        this.wal = wal;
        DataLayout layout = DataLayout.of(dataDir);
        this.layout = layout;
        this.walDirectory = layout.wal();
        this.logsDirectory = layout.logs();
        this.converter = converter;
    }

    /** What one flush wrote. */
    public record Result(int segments, Map<LocalDate, Long> recordsPerDay) {
        public long records() {
            return recordsPerDay.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Writes every buffered record to Parquet. Safe to call from one thread at a time. */
    public synchronized Result flush() throws IOException {
        List<Segment> segments;
        try {
            segments = wal.rotate().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while closing the current segment", e);
        } catch (ExecutionException e) {
            throw new IOException("Cannot close the current segment", e.getCause());
        }
        if (segments.isEmpty()) {
            return new Result(0, Map.of());
        }
        // Segment numbers start again at 1 once the log is empty (after a clean stop), so the name carries a
        // random part too: a new file must never replace an earlier one. Recovery takes names from the manifest.
        String name = String.format("quarry-%016d-%016d-%016x", segments.get(0).sequence(),
                segments.get(segments.size() - 1).sequence(), java.util.concurrent.ThreadLocalRandom.current().nextLong());
        List<Path> staged = new ArrayList<>();
        Map<LocalDate, Long> written;
        try {
            written = converter.convert(segments.stream().map(Segment::path).toList(), day -> {
                Path directory = layout.day(day);
                try {
                    if (!Files.isDirectory(directory)) {
                        Files.createDirectories(directory);
                        // A new day directory must survive a power loss as surely as the file renamed into it.
                        Durability.syncDirectory(logsDirectory);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                Path staging = directory.resolve(DataLayout.stagingFile(name));
                staged.add(staging);
                return staging;
            });
            for (Path staging : staged) {
                Durability.syncFile(staging);
                for (String kind : DataLayout.rollupsPresent(staging)) {
                    Durability.syncFile(DataLayout.rollup(staging, kind));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Path staging : DataLayout.withRollups(staged)) {
                Files.deleteIfExists(staging);
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }

        checkpoints.reached("staged");
        ObjectNode manifest = JSON.createObjectNode();
        ArrayNode files = manifest.putArray("files");
        for (LocalDate day : written.keySet()) {
            String directory = PartitionKeys.directoryName(day);
            ObjectNode file = files.addObject()
                    .put("staging", directory + "/" + DataLayout.stagingFile(name))
                    .put("final", directory + "/" + DataLayout.dataFile(name));
            // The rollups written with the file; a commit record without them (an earlier version's) has none.
            ArrayNode rollups = file.putArray("rollups");
            DataLayout.rollupsPresent(layout.day(day).resolve(DataLayout.stagingFile(name))).forEach(rollups::add);
        }
        ArrayNode segmentNames = manifest.putArray("segments");
        segments.forEach(s -> segmentNames.add(s.path().getFileName().toString()));
        Path manifestFile = layout.commit(name);
        try {
            Durability.writeAtomically(manifestFile, JSON.writeValueAsBytes(manifest));
        } catch (IOException | RuntimeException e) {
            // Not committed (a full disk, typically): the segments stay and are flushed again, so the staged files
            // only hold space. Once the manifest is in place they belong to it and recovery completes them.
            if (!Files.exists(manifestFile)) {
                for (Path staging : DataLayout.withRollups(staged)) {
                    deleteQuietly(staging);
                }
            }
            throw e;
        }
        checkpoints.reached("committed");

        // Holding the table from the files' arrival to the commit record's deletion: see TableState.
        synchronized (table) {
            complete(walDirectory, logsDirectory, manifest, table);
            checkpoints.reached("completed");
            wal.release(segments);
            Files.delete(manifestFile);
        }
        return new Result(segments.size(), written);
    }

    /** Renames the manifest's files into place, adds them to the table, deletes its segments (idempotent). */
    private static void complete(Path walDirectory, Path logsDirectory, JsonNode manifest, TableState table)
            throws IOException {
        for (JsonNode file : manifest.path("files")) {
            Path staging = logsDirectory.resolve(file.path("staging").asText());
            Path target = logsDirectory.resolve(file.path("final").asText());
            // The rollups first: once the file is in place, a replay finds its rollups in place too.
            java.util.Set<String> rollups = new java.util.TreeSet<>();
            for (JsonNode kind : file.path("rollups")) {
                Path stagedRollup = DataLayout.rollup(staging, kind.asText());
                Path finalRollup = DataLayout.rollup(target, kind.asText());
                if (stagedRollup == null || finalRollup == null) {
                    continue;
                }
                if (Files.exists(stagedRollup)) {
                    Files.move(stagedRollup, finalRollup, StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
                if (Files.exists(finalRollup)) {
                    rollups.add(kind.asText());
                }
            }
            if (Files.exists(staging)) {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Durability.syncDirectory(target.getParent());
            }
            if (Files.exists(target)) {
                LocalDate day = PartitionKeys.dayOfDirectory(target.getParent().getFileName().toString())
                        .orElseThrow(() -> new IOException("Cannot complete " + target + ", because its directory"
                                + " is not a day's"));
                table.add(day, target.getFileName().toString(), rollups);
            }
        }
        for (JsonNode segment : manifest.path("segments")) {
            Files.deleteIfExists(walDirectory.resolve(segment.asText()));
        }
        Durability.syncDirectory(walDirectory);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Cannot delete %s (%s); it is deleted on the next start", file, e.toString());
        }
    }

    /**
     * Before the log is opened: finishes flushes whose manifest was written, and deletes staging files of flushes
     * that never reached their manifest (their segments are still in the log and will be flushed again).
     */
    public static int recover(Path dataDir, TableState table) throws IOException {
        DataLayout layout = DataLayout.of(dataDir);
        Path walDirectory = layout.wal();
        Path logsDirectory = layout.logs();
        int completed = 0;
        if (Files.isDirectory(walDirectory)) {
            List<Path> manifests;
            try (Stream<Path> files = Files.list(walDirectory)) {
                manifests = files.filter(p -> DataLayout.isCommit(p.getFileName().toString())).sorted()
                        .toList();
            }
            try (Stream<Path> files = Files.list(walDirectory)) {
                // A manifest whose write failed before its rename (Durability.writeAtomically's temporary file).
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (DataLayout.isTornCommit(name)) {
                        Files.delete(file);
                    }
                }
            }
            for (Path manifest : manifests) {
                LOG.infof("Completing the interrupted flush %s", manifest.getFileName());
                complete(walDirectory, logsDirectory, JSON.readTree(manifest.toFile()), table);
                Files.delete(manifest);
                completed++;
            }
        }
        if (Files.isDirectory(logsDirectory)) {
            try (Stream<Path> files = Files.walk(logsDirectory, 2)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (DataLayout.isStaging(name)) {
                        Files.delete(file);
                    }
                }
            }
        }
        return completed;
    }
}
