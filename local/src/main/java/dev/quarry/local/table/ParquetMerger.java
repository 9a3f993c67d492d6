package dev.quarry.local.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Merges Parquet files of one day into one, for the {@link Compactor}. */
public interface ParquetMerger extends AutoCloseable {

    /**
     * Writes every record of {@code inputs} to {@code output} (a name readers ignore; the caller renames it), and
     * checks that the output holds exactly as many records as the inputs; beside an output this pipeline named
     * ({@link DataLayout#rollup}), also its rollups ({@link DataLayout#rollupsPresent} says which).
     *
     * @return the number of records written
     */
    long merge(List<Path> inputs, Path output) throws IOException;

    @Override
    void close();
}
