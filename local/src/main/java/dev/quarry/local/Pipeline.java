package dev.quarry.local;

import dev.quarry.duckdb.DuckDbParquetWriter;
import dev.quarry.local.wal.WalCodec;
import dev.quarry.local.wal.WalRecovery;
import dev.quarry.local.wal.WriteAheadLog;
import dev.quarry.record.InvalidRecordsException;
import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.jboss.logging.Logger;

/**
 * The local pipeline: validated requests go to the write-ahead log (acknowledged once synced), and a flusher
 * moves them to event-day Parquet files by size and by age. Started after recovery; stopped on SIGTERM by
 * writing everything buffered to Parquet.
 */
@ApplicationScoped
public class Pipeline {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    @Inject
    LocalConfig config;

    private final RecordParser parser = RecordParser.create();
    private WriteAheadLog wal;
    private Flusher flusher;
    private DuckDbParquetWriter converter;
    private LocalPartitionCatalog catalog;
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

    void start(@Observes StartupEvent event) throws IOException {
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir.resolve("logs"));
        LOG.infof("Quarry local pipeline: data in %s", dataDir);
        catalog = LocalPartitionCatalog.open(dataDir);
        int completed = Flusher.recover(dataDir, catalog);
        WalRecovery.Report report = WalRecovery.recover(dataDir.resolve("wal"));
        if (report.segments() > 0 || completed > 0) {
            LOG.infof("Recovering %d request(s) (%d bytes) from %d write-ahead-log segment(s)", report.requests(),
                    report.bytes(), report.segments());
        }
        wal = WriteAheadLog.open(dataDir.resolve("wal"));
        converter = new DuckDbParquetWriter();
        flusher = new Flusher(wal, dataDir, converter, catalog);
        if (wal.hasClosedSegments()) {
            Flusher.Result result = flusher.flush();
            LOG.infof("Recovered %d record(s) into Parquet for %d day(s)", result.records(),
                    result.recordsPerDay().size());
        }
        int threads = config.ingest().workers() > 0 ? config.ingest().workers()
                : Runtime.getRuntime().availableProcessors();
        workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.ingest().maxPending()), daemonThreads("quarry-ingest"));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("quarry-flusher"));
        long interval = config.flush().checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::flushIfDue, interval, interval, TimeUnit.MILLISECONDS);
        accepting = true;
        ready = true;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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
            if (result.records() > 0) {
                LOG.debugf("Flushed %d record(s) from %d segment(s) to %s", result.records(), result.segments(),
                        result.recordsPerDay().keySet());
            }
        } catch (IOException | RuntimeException e) {
            retryFlushAfterNanos = now + config.flush().maxAge().toNanos();
            LOG.errorf(e, "Cannot write buffered records to Parquet; they stay in the write-ahead log and the flush"
                    + " is retried in %s", config.flush().maxAge());
        }
    }

    /**
     * Validates a request body and makes its records durable. The future completes with the record count once
     * they are synced to disk, or fails with {@link InvalidRecordsException} (nothing stored),
     * {@link UnavailableException} or {@link IOException} (nothing acknowledged).
     */
    public CompletableFuture<Integer> ingest(byte[] body, Instant receivedAt) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new UnavailableException(
                    ready ? "The pipeline is shutting down" : "The pipeline is starting", null));
        }
        inFlight.incrementAndGet();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    List<LogRecord> records = parser.parse(body, receivedAt);
                    wal.append(WalCodec.encode(records)).whenComplete((ok, failure) -> {
                        inFlight.decrementAndGet();
                        if (failure != null) {
                            result.completeExceptionally(failure instanceof CompletionException c ? c.getCause()
                                    : failure);
                        } else {
                            result.complete(records.size());
                        }
                    });
                } catch (InvalidRecordsException | RuntimeException e) {
                    inFlight.decrementAndGet();
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            result.completeExceptionally(new UnavailableException("Too many requests are waiting", e));
        }
        return result;
    }

    /**
     * Makes records validated elsewhere durable (the OTLP route validates record by record, for partial
     * success). Same outcomes as {@link #ingest} but never {@link InvalidRecordsException}; called off the event
     * loop.
     */
    public CompletableFuture<Integer> append(List<LogRecord> records) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new UnavailableException(
                    ready ? "The pipeline is shutting down" : "The pipeline is starting", null));
        }
        inFlight.incrementAndGet();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        try {
            wal.append(WalCodec.encode(records)).whenComplete((ok, failure) -> {
                inFlight.decrementAndGet();
                if (failure != null) {
                    result.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
                } else {
                    result.complete(records.size());
                }
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            result.completeExceptionally(e);
        }
        return result;
    }

    public boolean isReady() {
        return ready && accepting && wal.isHealthy();
    }

    void stop(@Observes ShutdownEvent event) {
        if (!ready) {
            return;
        }
        accepting = false;
        LOG.info("Stopping: writing buffered records to Parquet");
        scheduler.shutdown();
        workers.shutdown();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
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
            LOG.infof("Stopped: %d record(s) written to Parquet; the write-ahead log is empty", result.records());
        } catch (IOException | UncheckedIOException e) {
            LOG.errorf(e, "Cannot write buffered records to Parquet on shutdown; they stay in the write-ahead log"
                    + " and are recovered on the next start");
        } finally {
            converter.close();
            ready = false;
        }
    }
}
