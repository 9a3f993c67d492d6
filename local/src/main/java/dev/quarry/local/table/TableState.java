package dev.quarry.local.table;

import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.os.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The writer's side of {@link LiveFiles}: the live files of every day, each change written to the day's manifest
 * (write, fsync, rename) before it is visible here. Flushes add files; compactions replace files with their merge;
 * retention empties days. Changes are serialised on this object's monitor, and a flush holds it from the moment
 * its files join the table until its commit record is deleted, so a compaction never commits between the two: a
 * flush replayed after a crash can then never bring back a file that a compaction already merged.
 */
public final class TableState {
    private final DataLayout layout;
    private final Map<LocalDate, Day> days = new TreeMap<>();

    private static final class Day {
        long version;
        TreeSet<String> files;
        /** Per live file, the kinds of rollup written with it (none for most files written before rollups). */
        Map<String, Set<String>> rollups;
        long changedNanos;

        Day(long version, TreeSet<String> files, long changedNanos) {
            this(version, files, Map.of(), changedNanos);
        }

        Day(long version, TreeSet<String> files, Map<String, Set<String>> rollups, long changedNanos) {
            this.version = version;
            this.files = files;
            this.rollups = rollups;
            this.changedNanos = changedNanos;
        }
    }

    private TableState(DataLayout layout) {
        this.layout = layout;
    }

    /**
     * Reads every day's manifest under {@code dataDir/logs}; a day directory without one gets a manifest of the
     * Parquet files it holds (data written before manifests existed).
     */
    public static TableState open(Path dataDir) throws IOException {
        TableState table = new TableState(DataLayout.of(dataDir));
        Files.createDirectories(table.layout.logs());
        long now = System.nanoTime();
        try (Stream<Path> directories = Files.list(table.layout.logs())) {
            for (Path directory : (Iterable<Path>) directories::iterator) {
                LocalDate day = dayOf(directory);
                if (day == null) {
                    continue;
                }
                Path manifest = DataLayout.manifest(directory);
                if (Files.exists(manifest)) {
                    LiveFiles.Manifest read = LiveFiles.readManifest(manifest);
                    table.days.put(day, new Day(version(manifest), read.files(), read.rollups(), now));
                } else {
                    Day adopted = new Day(0, LiveFiles.listed(directory), now);
                    table.days.put(day, adopted);
                    table.write(day, adopted, adopted.files, adopted.rollups);
                }
            }
        }
        return table;
    }

    private static long version(Path manifest) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile()).path("version").asLong();
    }

    public static LocalDate dayOf(Path directory) {
        Optional<LocalDate> day = PartitionKeys.dayOfDirectory(directory.getFileName().toString());
        return day.isPresent() && Files.isDirectory(directory) ? day.get() : null;
    }

    Path directory(LocalDate day) {
        return layout.day(day);
    }

    /** Adds a file (already renamed into the day's directory) to the day; nothing happens if it is there. */
    public synchronized void add(LocalDate day, String file) throws IOException {
        add(day, file, Set.of());
    }

    /**
     * Adds a file with the kinds of rollup written beside it ({@link DataLayout#rollup}, already renamed into
     * place); nothing happens if the file is there.
     */
    public synchronized void add(LocalDate day, String file, Set<String> rollups) throws IOException {
        Day state = days.get(day);
        if (state == null) {
            state = new Day(0, new TreeSet<>(), System.nanoTime());
            days.put(day, state);
        } else if (state.files.contains(file)) {
            return;
        }
        TreeSet<String> files = new TreeSet<>(state.files);
        files.add(file);
        write(day, state, files, with(state.rollups, file, rollups));
        state.changedNanos = System.nanoTime();
    }

    /**
     * The commit point of a compaction: {@code merged} replaces {@code replaced} in one manifest write. Refused
     * (false, nothing written) when any of {@code replaced} is no longer live, e.g. its day was removed meanwhile.
     */
    public synchronized boolean replace(LocalDate day, Collection<String> replaced, String merged) throws IOException {
        return replace(day, replaced, merged, Set.of());
    }

    /** {@link #replace}, the merge with the kinds of rollup written beside it. */
    public synchronized boolean replace(LocalDate day, Collection<String> replaced, String merged,
            Set<String> rollups) throws IOException {
        Day state = days.get(day);
        if (state == null || !state.files.containsAll(replaced)) {
            return false;
        }
        TreeSet<String> files = new TreeSet<>(state.files);
        files.removeAll(replaced);
        files.add(merged);
        write(day, state, files, with(state.rollups, merged, rollups));
        return true;
    }

    /** Removes every file from the day (its manifest stays, empty, until the files are deleted); returns them. */
    public synchronized Set<String> empty(LocalDate day) throws IOException {
        Day state = days.get(day);
        if (state == null) {
            return Set.of();
        }
        Set<String> removed = state.files;
        if (!removed.isEmpty()) {
            write(day, state, new TreeSet<>(), Map.of());
        }
        return removed;
    }

    /** Forgets an emptied day whose directory is gone. */
    synchronized void forget(LocalDate day) {
        Day state = days.get(day);
        if (state != null && state.files.isEmpty()) {
            days.remove(day);
        }
    }

    /** Each day's live files at this moment. */
    public synchronized Map<LocalDate, List<String>> snapshot() {
        Map<LocalDate, List<String>> snapshot = new TreeMap<>();
        days.forEach((day, state) -> snapshot.put(day, List.copyOf(state.files)));
        return snapshot;
    }

    /** When a flush last added a file to the day ({@link System#nanoTime()}; the start of the process if never). */
    public synchronized long changedNanos(LocalDate day) {
        Day state = days.get(day);
        return state == null ? System.nanoTime() : state.changedNanos;
    }

    /**
     * Parquet files in day directories that no manifest names: merges a crash cut before their commit, or files a
     * commit replaced whose deletion a crash cut. Only meaningful once interrupted flushes are completed.
     */
    public synchronized List<Path> unreferenced() throws IOException {
        List<Path> unreferenced = new ArrayList<>();
        for (Map.Entry<LocalDate, Day> day : days.entrySet()) {
            Path directory = directory(day.getKey());
            for (String name : LiveFiles.listed(directory)) {
                if (!day.getValue().files.contains(name)) {
                    unreferenced.add(directory.resolve(name));
                }
            }
            // Rollups of files the manifest does not name, or that it names without that rollup.
            Set<String> referenced = new TreeSet<>();
            day.getValue().rollups.forEach((file, kinds) -> kinds.forEach(kind -> referenced.add(
                    DataLayout.rollup(directory.resolve(file), kind).getFileName().toString())));
            for (String name : LiveFiles.listedRollups(directory)) {
                if (!referenced.contains(name)) {
                    unreferenced.add(directory.resolve(name));
                }
            }
        }
        return unreferenced;
    }

    /** The day's rollups, live files only, with {@code file}'s set to {@code kinds} (those this layout names). */
    private static Map<String, Set<String>> with(Map<String, Set<String>> rollups, String file, Set<String> kinds) {
        Map<String, Set<String>> updated = new TreeMap<>(rollups);
        Set<String> named = new TreeSet<>(kinds);
        named.retainAll(DataLayout.ROLLUP_KINDS);
        if (named.isEmpty() || DataLayout.rollup(Path.of(file), named.iterator().next()) == null) {
            updated.remove(file);
        } else {
            updated.put(file, Set.copyOf(named));
        }
        return updated;
    }

    private void write(LocalDate day, Day state, TreeSet<String> files, Map<String, Set<String>> rollups)
            throws IOException {
        Path directory = directory(day);
        Files.createDirectories(directory);
        Map<String, Set<String>> live = new TreeMap<>(rollups);
        live.keySet().retainAll(files);
        Durability.writeAtomically(DataLayout.manifest(directory), LiveFiles.write(day, state.version + 1,
                files, live));
        state.version++;
        state.files = files;
        state.rollups = live;
    }
}
