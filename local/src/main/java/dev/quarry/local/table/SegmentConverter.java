package dev.quarry.local.table;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The local stand-in for Firehose's format conversion: write-ahead-log segments in, one Parquet file per event
 * day out, with the storage contract's columns.
 */
public interface SegmentConverter extends AutoCloseable {

    /**
     * Writes the records of {@code segments} as Parquet, one file per event day at {@code stagingFile.apply(day)}
     * (a name readers ignore; the caller renames it into place), and beside each file this pipeline named its
     * rollups ({@link DataLayout#rollup}; {@link DataLayout#rollupsPresent} says which were written).
     *
     * @return the number of records written per day
     */
    Map<LocalDate, Long> convert(List<Path> segments, Function<LocalDate, Path> stagingFile) throws IOException;

    @Override
    void close();
}
