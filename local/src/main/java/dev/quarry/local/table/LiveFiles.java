package dev.quarry.local.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.catalog.PartitionKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The table's live files: each day directory holds a manifest ({@value DataLayout#MANIFEST}) naming the Parquet files that
 * make up the day. Flushes and compactions replace it atomically (write, fsync, rename), so reading it once per
 * statement gives a snapshot in which every record is in exactly one file, even while files are merged. Files
 * beside it that it does not name are being written or were replaced and wait for deletion.
 *
 * <p>A manifest may also name, per file, the rollups written with it ({@code "rollups": {"NAME.parquet": ["hours",
 * "messages"]}}, {@link DataLayout#rollup}); a file it names none for (written before rollups, or one whose rollup
 * was left out) is read by its records. A manifest without the field is one written before rollups existed.
 *
 * <p>A day directory without a manifest (written before manifests existed, or a first flush between its rename and
 * its manifest) is read by listing its {@code *.parquet} files.
 */
public final class LiveFiles {
    /** The manifest's name ({@link DataLayout#MANIFEST}), for readers of the table. */
    public static final String MANIFEST = DataLayout.MANIFEST;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveFiles() {
    }

    /**
     * The live Parquet files of the days {@code from} to {@code to} (inclusive) under {@code dataDir/logs}, sorted:
     * exactly what a summary over those days reads. One consistent snapshot per day.
     */
    public static List<Path> forDays(Path dataDir, LocalDate from, LocalDate to) throws IOException {
        return forDaysWithRollups(dataDir, from, to).stream().map(Live::file).toList();
    }

    /** A live file and the kinds of rollup its manifest names for it ({@link DataLayout#ROLLUP_KINDS}). */
    public record Live(Path file, java.util.Set<String> rollups) {
        public Path rollup(String kind) {
            return rollups.contains(kind) ? DataLayout.rollup(file, kind) : null;
        }
    }

    /** {@link #forDays}, each file with its rollups, from the same one read of each day's manifest. */
    public static List<Live> forDaysWithRollups(Path dataDir, LocalDate from, LocalDate to) throws IOException {
        DataLayout layout = DataLayout.of(dataDir);
        List<Live> files = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Path directory = layout.day(day);
            Manifest manifest = manifestOf(directory);
            for (String name : manifest.files()) {
                files.add(new Live(directory.resolve(name), manifest.rollups().getOrDefault(name, java.util.Set.of())));
            }
        }
        files.sort(java.util.Comparator.comparing(Live::file));
        return files;
    }

    /** A manifest's files and, per file, its rollups' kinds. */
    record Manifest(TreeSet<String> files, java.util.Map<String, java.util.Set<String>> rollups) {
    }

    static Manifest readManifest(Path manifest) throws IOException {
        JsonNode node = JSON.readTree(Files.readAllBytes(manifest));
        TreeSet<String> names = new TreeSet<>();
        for (JsonNode file : node.path("files")) {
            names.add(file.asText());
        }
        java.util.Map<String, java.util.Set<String>> rollups = new java.util.TreeMap<>();
        node.path("rollups").fields().forEachRemaining(entry -> {
            java.util.Set<String> kinds = new TreeSet<>();
            entry.getValue().forEach(kind -> kinds.add(kind.asText()));
            if (names.contains(entry.getKey()) && !kinds.isEmpty()) {
                rollups.put(entry.getKey(), kinds);
            }
        });
        return new Manifest(names, rollups);
    }

    /** The day directory's manifest, or its {@code *.parquet} files (without rollups) when it has none. */
    private static Manifest manifestOf(Path dayDirectory) throws IOException {
        try {
            return readManifest(DataLayout.manifest(dayDirectory));
        } catch (NoSuchFileException e) {
            return new Manifest(listed(dayDirectory), java.util.Map.of());
        }
    }

    static TreeSet<String> read(Path manifest) throws IOException {
        return readManifest(manifest).files();
    }

    static byte[] write(LocalDate day, long version, Collection<String> names) throws IOException {
        return write(day, version, names, java.util.Map.of());
    }

    /** The manifest; {@code rollups} only when some file has one, so a table without rollups writes what it did. */
    static byte[] write(LocalDate day, long version, Collection<String> names,
            java.util.Map<String, java.util.Set<String>> rollups) throws IOException {
        ObjectNode node = JSON.createObjectNode().put("dt", PartitionKeys.value(day)).put("version", version);
        names.forEach(node.putArray("files")::add);
        ObjectNode perFile = null;
        for (String name : names) {
            java.util.Set<String> kinds = rollups.getOrDefault(name, java.util.Set.of());
            if (!kinds.isEmpty()) {
                if (perFile == null) {
                    perFile = node.putObject("rollups");
                }
                new TreeSet<>(kinds).forEach(perFile.putArray(name)::add);
            }
        }
        return JSON.writeValueAsBytes(node);
    }

    /** Rollup files in a day directory ({@code _quarry-*.rollup}). */
    static TreeSet<String> listedRollups(Path dayDirectory) throws IOException {
        return listed(dayDirectory, "*.rollup", DataLayout::isRollup);
    }

    static TreeSet<String> listed(Path dayDirectory) throws IOException {
        return listed(dayDirectory, "*.parquet", name -> true);
    }

    /** The names in a day directory that match {@code glob} and {@code wanted}; none if the day is gone. */
    private static TreeSet<String> listed(Path dayDirectory, String glob, java.util.function.Predicate<String> wanted)
            throws IOException {
        TreeSet<String> names = new TreeSet<>();
        if (!Files.isDirectory(dayDirectory)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dayDirectory, glob)) {
            for (Path file : files) {
                if (wanted.test(file.getFileName().toString())) {
                    names.add(file.getFileName().toString());
                }
            }
        } catch (NoSuchFileException e) {
            // The day was removed while we listed it.
        }
        return names;
    }
}
