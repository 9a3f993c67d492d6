package dev.quarry.bench;

import dev.quarry.duckdb.DuckDbParquetWriter;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.wal.Segment;
import dev.quarry.local.wal.WalCodec;
import dev.quarry.local.wal.WriteAheadLog;
import dev.quarry.record.RecordParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * What a flush's sidecars cost (the measurements of rollups and of the search index share it): one segment of
 * {@code records} records of one day, converted 20 times as the server does (a staged file, with its sidecars) and 20
 * times under a plain name (the writer writes none), alternating, after 3 rounds of warm-up.
 */
final class FlushCost {
    /** The p50 of each way, and the staged file of one round (its sidecars lie beside it). */
    record Result(double p50WithMs, double p50WithoutMs, Path stagedFile) {
    }

    private FlushCost() {
    }

    static Result measure(Path work, Bench.Generator generator, LocalDate day, int records) throws Exception {
        Path wal = work.resolve("wal-cost");
        RecordParser parser = RecordParser.create();
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<Segment> segments;
        try (WriteAheadLog log = WriteAheadLog.open(wal)) {
            for (int r = 0; r < records; r += 500) {
                log.append(WalCodec.encode(parser.parse(generator.body(500, dayStart, 86_400_000L - 120_000),
                        Instant.ofEpochMilli(dayStart + 86_400_000L - 60_000)))).get();
            }
            segments = log.rotate().get();
        }
        Path out = work.resolve("flush-cost");
        Files.createDirectories(out);
        long[] with = new long[20];
        long[] without = new long[20];
        try (DuckDbParquetWriter writer = new DuckDbParquetWriter()) {
            for (int i = -3; i < 20; i++) {
                int n = i + 3;
                long t = System.nanoTime();
                writer.convert(segments.stream().map(Segment::path).toList(),
                        d -> out.resolve(DataLayout.stagingFile("quarry-cost-" + n)));
                long a = System.nanoTime() - t;
                t = System.nanoTime();
                writer.convert(segments.stream().map(Segment::path).toList(), d -> out.resolve("plain-" + n));
                long b = System.nanoTime() - t;
                if (i >= 0) {
                    with[i] = a;
                    without[i] = b;
                }
            }
        }
        return new Result(p50(with), p50(without), out.resolve(DataLayout.stagingFile("quarry-cost-3")));
    }

    private static double p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
