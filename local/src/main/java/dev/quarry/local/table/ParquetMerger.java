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
    default long merge(List<Path> inputs, Path output) throws IOException {
        return merge(inputs, output, false);
    }

    /**
     * {@link #merge(List, Path)}; {@code atRest} when the output is a quiet day's file, the form the day keeps
     * until records arrive for it again, which a merger may spend more time on to store in fewer bytes.
     */
    long merge(List<Path> inputs, Path output, boolean atRest) throws IOException;

    @Override
    void close();
}
