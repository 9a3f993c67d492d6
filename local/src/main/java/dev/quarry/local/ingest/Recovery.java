package dev.quarry.local;

import dev.quarry.duckdb.DuckDbParquetWriter;
import dev.quarry.local.wal.WalRecovery;
import dev.quarry.local.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The start of a locked data directory: finish or discard an interrupted flush, cut a torn request, and write
 * what the log still holds to Parquet, all before the pipeline accepts a record.
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private Recovery() {
    }

    /** The pipeline's parts, open and recovered. */
    record Result(WriteAheadLog wal, TableState table, DuckDbParquetWriter converter, Flusher flusher) {
    }

    static Result run(Path dataDir) throws IOException {
        Files.createDirectories(dataDir.resolve("logs"));
        TableState table = TableState.open(dataDir);
        int completed = Flusher.recover(dataDir, table);
        WalRecovery.Report report = WalRecovery.recover(dataDir.resolve("wal"));
        if (report.segments() > 0 || completed > 0) {
            LOG.infof("Recovering %d request(s) (%d bytes) from %d write-ahead-log segment(s)", report.requests(),
                    report.bytes(), report.segments());
        }
        WriteAheadLog wal = WriteAheadLog.open(dataDir.resolve("wal"));
        DuckDbParquetWriter converter = new DuckDbParquetWriter();
        Flusher flusher = new Flusher(wal, dataDir, converter, table);
        if (wal.hasClosedSegments()) {
            try {
                Flusher.Result result = flusher.flush();
                LOG.infof("Recovered %d record(s) into Parquet for %d day(s)", result.records(),
                        result.recordsPerDay().size());
            } catch (IOException | RuntimeException e) {
                wal.close();
                converter.close();
                throw e;
            }
        }
        return new Result(wal, table, converter, flusher);
    }

    /**
     * One line for an operator: the file-system reason ("No space left on device", "Read-only file system") and
     * the file, without a stack trace; the failures met here are the machine's, not the program's.
     */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof FileSystemException fs) {
                return (fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName()) + ": " + fs.getFile();
            }
        }
        Throwable shown = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause()
                : failure;
        String message = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message);
    }
}
