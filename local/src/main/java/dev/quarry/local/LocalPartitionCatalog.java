package dev.quarry.local;

import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionCatalog;
import dev.quarry.catalog.PartitionKeys;
import dev.quarry.local.wal.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The local twin of the Glue catalog: the table's partitions as a text file ({@code catalog/partitions.tsv},
 * one {@code dt<TAB>location} line each), rewritten atomically. On open it is repaired from the day directories
 * present, so a crash between writing a file and registering its day loses no partition.
 */
public final class LocalPartitionCatalog implements PartitionCatalog {
    private final Path file;
    private final Map<LocalDate, String> partitions = new TreeMap<>();

    private LocalPartitionCatalog(Path file) {
        this.file = file;
    }

    public static LocalPartitionCatalog open(Path dataDir) throws IOException {
        Path directory = dataDir.resolve("catalog");
        Files.createDirectories(directory);
        LocalPartitionCatalog catalog = new LocalPartitionCatalog(directory.resolve("partitions.tsv"));
        if (Files.exists(catalog.file)) {
            for (String line : Files.readAllLines(catalog.file, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t", 2);
                if (fields.length == 2) {
                    catalog.partitions.put(PartitionKeys.parseValue(fields[0]), fields[1]);
                }
            }
        }
        Path logs = dataDir.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> days = Files.list(logs)) {
                catalog.register(days.map(LocalPartitionCatalog::partitionOf).filter(p -> p != null).toList());
            }
        }
        return catalog;
    }

    static Partition partitionOf(Path dayDirectory) {
        Optional<LocalDate> day = PartitionKeys.dayOfDirectory(dayDirectory.getFileName().toString());
        return day.isPresent() && Files.isDirectory(dayDirectory)
                ? new Partition(day.get(), dayDirectory.toUri().toString()) : null;
    }

    @Override
    public synchronized void register(Collection<Partition> added) {
        boolean changed = false;
        for (Partition partition : added) {
            changed |= partitions.putIfAbsent(partition.day(), partition.location()) == null;
        }
        if (changed) {
            write();
        }
    }

    private void write() {
        StringBuilder content = new StringBuilder();
        partitions.forEach((day, location) -> content.append(PartitionKeys.value(day)).append('\t').append(location).append('\n'));
        try {
            Durability.writeAtomically(file, content.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CatalogException("Cannot register partitions, because writing " + file + " failed", e);
        }
    }

    /** Forgets days that retention removed; like Glue's partitions, the catalog follows the table. */
    public synchronized void remove(Collection<LocalDate> days) {
        if (partitions.keySet().removeAll(days)) {
            write();
        }
    }

    public synchronized Map<LocalDate, String> partitions() {
        return Map.copyOf(partitions);
    }
}
