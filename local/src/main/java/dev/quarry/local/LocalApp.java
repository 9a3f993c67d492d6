package dev.quarry.local;

import dev.quarry.duckdb.DuckDbMemory;
import dev.quarry.duckdb.DuckDbParquetWriter;
import dev.quarry.local.config.LocalConfig;
import dev.quarry.local.http.HttpEdges;
import dev.quarry.local.http.HttpLayerHook;
import dev.quarry.local.http.Routes;
import dev.quarry.local.http.SummaryRoute;
import dev.quarry.local.ingest.Pipeline;
import dev.quarry.local.ingest.Recovery;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.os.DataDirectoryLock;
import dev.quarry.local.os.DiskFailure;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.Maintenance;
import dev.quarry.local.table.ParquetMerger;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.ext.web.Router;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The local server's composition root: the whole start and stop, in the order they happen, driven by Quarkus's
 * lifecycle events.
 * <ol>
 * <li>{@link #start}: settings checked, the data directory locked (once, for the life of the process), the summary
 * query pool started; then Quarkus binds the port, so a port in use ends the start before the data is touched;</li>
 * <li>{@link #routes}: the one route table ({@link Routes});</li>
 * <li>{@link #bound}: the HTTP-layer hook, recovery, maintenance, the pipeline; then the ready line;</li>
 * <li>{@link #stopAccepting} and {@link #stop} on SIGTERM: stop accepting, drain, flush, and the exit status.</li>
 * </ol>
 * The exit status is this object's: {@link #run} returns it, and on a signal the hook {@link #start} installs
 * ends the process with it ({@link LocalMain#halt}).
 */
@Singleton
public class LocalApp implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(LocalApp.class);

    @Inject
    LocalConfig config;

    @Inject
    DataLayout layout;

    @Inject
    QuarryMetrics metrics;

    @Inject
    ParquetMerger merger;

    @Inject
    Routes routes;

    @Inject
    HttpEdges edges;

    @Inject
    @Readiness
    HttpLayerHook httpLayerHook;

    @Inject
    SummaryRoute summaries;

    @Inject
    Pipeline pipeline;

    private final AtomicBoolean recovering = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private DataDirectoryLock lock;
    private Maintenance maintenance;
    private volatile int status;

    /**
     * Before the port is bound: settings that cannot work, a second server on the same directory, or a directory
     * that cannot be written end the start with one line and status 1 ({@link StartFailure}), nothing open but
     * the lock.
     */
    void start(@Observes @Priority(1) StartupEvent event) {
        LocalConfig.refusal(config).ifPresent(reason -> {
            throw new StartFailure.Refused(reason);
        });
        try {
            lock = DataDirectoryLock.acquire(layout.root(), layout.lockFile());
        } catch (DataDirectoryLock.HeldException e) {
            throw new StartFailure.Refused(e.getMessage());
        } catch (IOException e) {
            throw new StartFailure.Refused("Cannot use the data directory " + layout.root() + ": "
                    + DiskFailure.describe(e));
        }
        try {
            deleteTree(layout.spill());
        } catch (IOException e) {
            throw new StartFailure.Refused("Cannot clear " + layout.spill() + ": " + DiskFailure.describe(e));
        }
        LOG.infof("Quarry local pipeline: data in %s", layout.root());
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            // Now, not in run(): readiness may turn up (and a SIGTERM follow) before Quarkus calls run().
            Runtime.getRuntime().addShutdownHook(new Thread(this::exitAfterSignal, "quarry-exit-status"));
        }
        summaries.start();
    }

    void routes(@Observes Router router) {
        routes.register(router);
    }

    /** Once the port is bound; until the pipeline starts, readiness is down and {@code POST /logs} answers 503. */
    void bound(@ObservesAsync HttpServerStart event) {
        if (!recovering.compareAndSet(false, true)) {
            return;
        }
        httpLayerHook.install();
        try {
            DuckDbParquetWriter writer = new DuckDbParquetWriter(config.duckdb().flushMemoryLimit(),
                    layout.spill("flush"));
            DuckDbMemory flushMemory = writer.memory();
            metrics.duckDb("flush", flushMemory::memoryBytes, flushMemory::temporaryBytes);
            Recovery.Result recovered = Recovery.run(layout, writer);
            // Before the flusher runs: a file it is adding to the table would look unreferenced.
            maintenance = Maintenance.start(recovered.table(), merger, config, metrics);
            pipeline.start(recovered, maintenance);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Cannot start: %s", DiskFailure.describe(e));
            status = 1;
            Quarkus.asyncExit(1);
            return;
        }
        LOG.info(readyLine(event.options().getHost(), event.options().getPort()));
    }

    /** Deletes a directory and what it holds, if it is there. */
    private static void deleteTree(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The addresses a user needs next, in one line. */
    static String readyLine(String host, int port) {
        String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return "Ready: send logs to " + base + "/logs (OTLP: " + base + "/v1/logs), dashboard " + base + "/, metrics "
                + base + "/q/metrics";
    }

    /**
     * First step of a shutdown, before Quarkus closes the HTTP server (which it does before {@link ShutdownEvent}):
     * refuse new requests, and let those already routed be answered. Quarkus fires this event in its pre-shutdown
     * phase when {@code quarkus.shutdown.delay-enabled} is set (application.properties; "Graceful shutdown" in
     * https://quarkus.io/guides/lifecycle). Quarkus's own graceful shutdown ({@code quarkus.shutdown.timeout})
     * would answer new requests with an empty 503 instead of problem JSON.
     */
    void stopAccepting(@Observes ShutdownDelayInitiatedEvent event) {
        edges.drain();
    }

    /** Drain (if the pre-shutdown phase did not run, as after a failed start), flush, and the exit status. */
    void stop(@Observes @Priority(1) ShutdownEvent event) {
        try {
            edges.drain();
            summaries.stop();
            if (!pipeline.stop()) {
                status = 1;
            }
        } finally {
            stopped.countDown();
        }
    }

    /** Called by Quarkus once started (not in tests): waits for the exit and returns its status. */
    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return status;
    }

    /**
     * On a signal the JVM would exit with 128 + its number (143, 130), which supervisors report as a crash, once
     * Quarkus's own hook has stopped the application; this hook waits for that and ends the process with the
     * pipeline's status instead.
     */
    private void exitAfterSignal() {
        try {
            stopped.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Let Quarkus finish stopping (it logs its last line) before the status is set; bounded, as a hook must be.
        Application application = Application.currentApplication();
        if (application != null) {
            Thread waiter = new Thread(application::awaitShutdown, "quarry-await-shutdown");
            waiter.setDaemon(true);
            waiter.start();
            try {
                waiter.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LocalMain.halt(status);
    }
}
