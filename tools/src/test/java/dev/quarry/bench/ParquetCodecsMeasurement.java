package dev.quarry.bench;

import dev.quarry.local.TestingDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the Parquet codecs on the benchmark's realistic records (not a build test: its name matches no
 * surefire include). Run: {@code ./mvnw -B -o -pl core,local test -Dtest=ParquetCodecsMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false}. Firehose writes SNAPPY (default) or GZIP; the local writer ZSTD.
 * Prints, per file size and codec: JSON bytes posted per Parquet byte stored, and the bytes of the columns the
 * canned summaries read (all but {@code message} and {@code attributes}; {@code top-messages} also reads
 * {@code message}), which is what Athena bills.
 */
class ParquetCodecsMeasurement {

    @Test
    void measure(@TempDir Path work) throws Exception {
        // 9,000 records: one 5-minute Firehose buffer at 5 GB a month of 200-byte records; 250,000: a busy stream.
        for (int records : new int[] {9_000, 250_000}) {
            measure(work.resolve("n" + records), records);
        }
    }

    private static void measure(Path work, int records) throws Exception {
        Bench.Generator generator = new Bench.Generator(42);
        long dayStart = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();
        List<String> bodies = new ArrayList<>();
        long jsonBytes = 0;
        for (int r = 0; r < records; r += 500) {
            byte[] body = generator.body(Math.min(500, records - r), dayStart, 86_400_000L - 120_000);
            jsonBytes += body.length;
            bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        Path zstd;
        try (TestingDataset dataset = TestingDataset.in(work)) {
            dataset.writeBodies(bodies, Instant.ofEpochMilli(dayStart + 86_400_000L - 60_000));
            try (Stream<Path> files = Files.walk(dataset.logsDirectory())) {
                zstd = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
            }
        }
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckDb.createStatement()) {
            for (String codec : new String[] {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"}) {
                Path file = work.resolve(codec + ".parquet");
                statement.execute("COPY (SELECT * FROM read_parquet('" + zstd + "')) TO '" + file
                        + "' (FORMAT parquet, COMPRESSION " + codec + ")");
                long size = Files.size(file);
                long summaryColumns = columnBytes(statement, file, "NOT (path_in_schema LIKE 'message%'"
                        + " OR path_in_schema LIKE 'attributes%')");
                long withMessage = columnBytes(statement, file, "NOT path_in_schema LIKE 'attributes%'");
                System.out.printf(Locale.ROOT, "records=%d json_bytes=%d codec=%s parquet_bytes=%d"
                        + " compression_ratio=%.2f summary_column_bytes=%d top_messages_column_bytes=%d%n",
                        records, jsonBytes, codec, size, (double) jsonBytes / size, summaryColumns, withMessage);
            }
        }
    }

    private static long columnBytes(Statement statement, Path file, String filter) throws Exception {
        try (ResultSet rows = statement.executeQuery("SELECT sum(total_compressed_size) FROM parquet_metadata('"
                + file + "') WHERE " + filter)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
