package dev.quarry.local.wal;

import java.nio.file.Path;

/** A closed write-ahead-log segment, waiting to be written to Parquet. */
public record Segment(long sequence, Path path, long bytes) {
    static final String PREFIX = "segment-";
    static final String SUFFIX = ".ndjson";

    static String fileName(long sequence) {
        return String.format("%s%016d%s", PREFIX, sequence, SUFFIX);
    }

    static long sequenceOf(Path path) {
        String name = path.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
