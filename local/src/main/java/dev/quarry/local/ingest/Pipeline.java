package dev.quarry.local.ingest;

import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.os.DaemonThreads;
import dev.quarry.local.os.DiskFailure;
import dev.quarry.local.table.Maintenance;
import dev.quarry.local.table.SegmentConverter;
import dev.quarry.local.tail.TailHub;
import dev.quarry.local.wal.WalCodec;
import dev.quarry.local.wal.WriteAheadLog;
import dev.quarry.record.InvalidRecordsException;
import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The local pipeline: validated requests go to the write-ahead log (acknowledged once synced), and a flusher
 * moves them to event-day Parquet files by size and by age. Started by the composition root ({@code LocalApp})
 * with what {@link Recovery} opened and {@link Maintenance} beside it; stopped there on SIGTERM by writing
 * everything buffered to Parquet.
 */
@ApplicationScoped
public class Pipeline {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    @Inject
    LocalConfig config;

    @Inject
    QuarryMetrics metrics;

    @Inject
    TailHub tails;

    private final RecordParser parser = RecordParser.create();
    private WriteAheadLog wal;
    private Flusher flusher;
    private SegmentConverter converter;
    private Maintenance maintenance;
    private ScheduledExecutorService scheduler;
    private ThreadPoolExecutor workers;
    private volatile boolean ready;
    private volatile boolean accepting;
    private volatile long retryFlushAfterNanos;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Thrown when the pipeline cannot take records now (not started, stopping, or too busy). */
    public static final class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Starts accepting records into what recovery opened; until then, {@code POST /logs} answers 503. */
    public void start(Recovery.Result recovered, Maintenance maintenance) {
        wal = recovered.wal();
        converter = recovered.converter();
        flusher = recovered.flusher();
        this.maintenance = maintenance;
        int threads = config.ingest().workers() > 0 ? config.ingest().workers()
                : Runtime.getRuntime().availableProcessors();
        workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.ingest().maxPending()), DaemonThreads.named("quarry-ingest"));
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("quarry-flusher"));
        long interval = config.flush().checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::flushIfDue, interval, interval, TimeUnit.MILLISECONDS);
        accepting = true;
        ready = true;
    }

    void flushIfDue() {
        long now = System.nanoTime();
        long first = wal.currentFirstAppendNanos();
        boolean due = wal.currentBytes() >= config.flush().maxBytes()
                || (first != 0 && now - first >= config.flush().maxAge().toNanos())
                || (wal.hasClosedSegments() && now - retryFlushAfterNanos >= 0);
        if (!due) {
            return;
        }
        try {
            Flusher.Result result = flusher.flush();
            metrics.flushed(result.records(), result.recordsPerDay().size());
            if (result.records() > 0) {
                LOG.debugf("Flushed %d record(s) from %d segment(s) to %s", result.records(), result.segments(),
                        result.recordsPerDay().keySet());
            }
        } catch (IOException | RuntimeException e) {
            retryFlushAfterNanos = now + config.flush().maxAge().toNanos();
            LOG.errorf("Cannot write buffered records to Parquet (%s); they stay in the write-ahead log and the flush"
                    + " is retried in %s", DiskFailure.describe(e), config.flush().maxAge());
        }
    }

    /**
     * Validates a request body and makes its records durable. The future completes with the record count once
     * they are synced to disk, or fails with {@link InvalidRecordsException} (nothing stored),
     * {@link UnavailableException} or {@link IOException} (nothing acknowledged). The body is parsed on the ingest
     * workers, at most {@code quarry.ingest.max-pending} waiting (then {@link UnavailableException}).
     */
    public CompletableFuture<Integer> ingest(byte[] body, Instant receivedAt) {
        return admitted(() -> {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            try {
                workers.execute(() -> {
                    List<LogRecord> records;
                    try {
                        records = parser.parse(body, receivedAt);
                    } catch (InvalidRecordsException | RuntimeException e) {
                        inFlight.decrementAndGet();
                        result.completeExceptionally(e);
                        return;
                    }
                    appendCounted(records).whenComplete((count, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure);
                        } else {
                            result.complete(count);
                        }
                    });
                });
            } catch (RejectedExecutionException e) {
                inFlight.decrementAndGet();
                result.completeExceptionally(new UnavailableException("Too many requests are waiting", e));
            }
            return result;
        });
    }

    /**
     * Makes records validated elsewhere durable (the OTLP route validates record by record, for partial
     * success), on the caller's thread up to the hand-off to the log. Same outcomes as {@link #ingest} but never
     * {@link InvalidRecordsException}.
     *
     * <p>Why two entry points and not one: {@code /logs} parses on the ingest workers, whose queue bounds the
     * requests waiting (503 past it), while {@code /v1/logs} decodes and maps on Vert.x's worker pool and needs the
     * mapping's counts for its answer, before (and whether or not) the pipeline takes anything. One entry point
     * would move the OTLP mapping under the ingest queue's bound, or the parse out of it: a change of behaviour
     * under load. What they share, the admission and the accounting, is written once ({@link #admitted}).
     */
    public CompletableFuture<Integer> append(List<LogRecord> records) {
        return admitted(() -> appendCounted(records));
    }

    /**
     * Runs {@code work} counted in {@link #inFlight} while the pipeline accepts records (the work drops the count
     * once the log has answered), else fails with {@link UnavailableException} without running it.
     */
    private CompletableFuture<Integer> admitted(Supplier<CompletableFuture<Integer>> work) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new UnavailableException(
                    ready ? "The pipeline is shutting down" : "The pipeline is starting", null));
        }
        inFlight.incrementAndGet();
        return work.get();
    }

    /** Appends records already counted in {@link #inFlight}; the count drops once the log has answered. */
    private CompletableFuture<Integer> appendCounted(List<LogRecord> records) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        try {
            wal.append(WalCodec.encode(records)).whenComplete((ok, failure) -> {
                inFlight.decrementAndGet();
                if (failure != null) {
                    result.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
                } else {
                    metrics.ingested(records.size());
                    // On the log's writer thread, in the order of the syncs, before the request is answered.
                    tails.publish(records);
                    result.complete(records.size());
                }
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Recovered, accepting, and the write-ahead log's last write succeeded. */
    public boolean isReady() {
        return ready && accepting && wal.isHealthy();
    }

    /**
     * Stops taking records, lets those taken be made durable, and writes everything buffered to Parquet; false when
     * that last flush failed (the records stay in the log and are recovered on the next start). True if it never
     * started.
     */
    public boolean stop() {
        if (!ready) {
            return true;
        }
        accepting = false;
        LOG.info("Stopping: writing buffered records to Parquet");
        maintenance.stop();
        scheduler.shutdown();
        workers.shutdown();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
            // A merge under way finishes (the merger's close, after this, waits for it too).
            maintenance.awaitTermination(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wal.close();
        try {
            Flusher.Result result = flusher.flush();
            metrics.flushed(result.records(), result.recordsPerDay().size());
            LOG.infof("Stopped: %d record(s) written to Parquet; the write-ahead log is empty", result.records());
            return true;
        } catch (IOException | UncheckedIOException e) {
            LOG.errorf("Cannot write buffered records to Parquet on shutdown (%s); they stay in the write-ahead log"
                    + " and are recovered on the next start", DiskFailure.describe(e));
            return false;
        } finally {
            converter.close();
            ready = false;
        }
    }
}
