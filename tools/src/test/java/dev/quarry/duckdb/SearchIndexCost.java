package dev.quarry.duckdb;

import dev.quarry.sql.SqlLiteral;
import java.nio.file.Path;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/** For {@code SearchIndexMeasurement}: the search index of a Parquet file written alone, as a merge writes it. */
public final class SearchIndexCost {
    private SearchIndexCost() {
    }

    /** Writes the index of {@code parquet} beside {@code dataFile} (a name the layout gives sidecars); its nanos. */
    public static long write(Path parquet, Path dataFile, Path spill) throws Exception {
        try (DuckDBConnection connection = DuckDb.openInMemoryStreaming("TimeZone = 'UTC'", "threads = 1",
                "preserve_insertion_order = false", DuckDb.memoryLimit("256MB"), DuckDb.spillDirectory(spill));
                Statement statement = connection.createStatement()) {
            String rows = "read_parquet(" + SqlLiteral.quote(parquet.toString()) + ")";
            long records;
            try (java.sql.ResultSet count = statement.executeQuery("SELECT count(*) FROM " + rows)) {
                count.next();
                records = count.getLong(1);
            }
            long t = System.nanoTime();
            SearchIndex.write(statement, rows, records, dataFile);
            return System.nanoTime() - t;
        }
    }
}
