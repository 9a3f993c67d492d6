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
        DataLayout layout = DataLayout.of(dataDir);
        List<Path> files = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Path directory = layout.day(day);
            for (String name : names(directory)) {
                files.add(directory.resolve(name));
            }
        }
        files.sort(null);
        return files;
    }

    /** The file names the day directory's manifest lists, or its {@code *.parquet} files without one. */
    static Collection<String> names(Path dayDirectory) throws IOException {
        try {
            return read(DataLayout.manifest(dayDirectory));
        } catch (NoSuchFileException e) {
            return listed(dayDirectory);
        }
    }

    static TreeSet<String> read(Path manifest) throws IOException {
        JsonNode node = JSON.readTree(Files.readAllBytes(manifest));
        TreeSet<String> names = new TreeSet<>();
        for (JsonNode file : node.path("files")) {
            names.add(file.asText());
        }
        return names;
    }

    static byte[] write(LocalDate day, long version, Collection<String> names) throws IOException {
        ObjectNode node = JSON.createObjectNode().put("dt", PartitionKeys.value(day)).put("version", version);
        names.forEach(node.putArray("files")::add);
        return JSON.writeValueAsBytes(node);
    }

    static TreeSet<String> listed(Path dayDirectory) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        if (!Files.isDirectory(dayDirectory)) {
            return names;
        }
        try (DirectoryStream<Path> parquet = Files.newDirectoryStream(dayDirectory, "*.parquet")) {
            for (Path file : parquet) {
                names.add(file.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            // The day was removed while we listed it.
        }
        return names;
    }
}
