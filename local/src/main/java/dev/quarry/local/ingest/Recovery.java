package dev.quarry.local.ingest;

import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.SegmentConverter;
import dev.quarry.local.table.TableState;
import dev.quarry.local.wal.WalRecovery;
import dev.quarry.local.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import org.jboss.logging.Logger;

/**
 * The start of a locked data directory: finish or discard an interrupted flush, cut a torn request, and write
 * what the log still holds to Parquet, all before the pipeline accepts a record.
 */
public final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private Recovery() {
    }

    /** The pipeline's parts, open and recovered. */
    public record Result(WriteAheadLog wal, TableState table, SegmentConverter converter, Flusher flusher) {
    }

    /** Recovers the directory with {@code converter}, which the result then owns (closed here if recovery fails). */
    public static Result run(DataLayout layout, SegmentConverter converter) throws IOException {
        try {
            Files.createDirectories(layout.logs());
            TableState table = TableState.open(layout.root());
            int completed = Flusher.recover(layout.root(), table);
            WalRecovery.Report report = WalRecovery.recover(layout.wal());
            if (report.segments() > 0 || completed > 0) {
                LOG.infof("Recovering %d request(s) (%d bytes) from %d write-ahead-log segment(s)", report.requests(),
                        report.bytes(), report.segments());
            }
            WriteAheadLog wal = WriteAheadLog.open(layout.wal());
            Flusher flusher = new Flusher(wal, layout.root(), converter, table);
            if (wal.hasClosedSegments()) {
                try {
                    Flusher.Result result = flusher.flush();
                    LOG.infof("Recovered %d record(s) into Parquet for %d day(s)", result.records(),
                            result.recordsPerDay().size());
                } catch (IOException | RuntimeException e) {
                    wal.close();
                    throw e;
                }
            }
            return new Result(wal, table, converter, flusher);
        } catch (IOException | RuntimeException e) {
            converter.close();
            throw e;
        }
    }
}
