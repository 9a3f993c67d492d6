package dev.quarry.local;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Entry point of the local pipeline. SIGTERM and SIGINT stop it cleanly (requests already read are answered,
 * everything buffered is written to Parquet) and exit with status 0, or 1 if that flush failed.
 *
 * <p>On a signal the JVM runs its shutdown hooks (Quarkus stops the application in one) and then exits with
 * 128 + the signal number (143, 130), which supervisors report as a crash. No supported API changes that status
 * except {@link Runtime#halt}, which a shutdown hook may call once the application has stopped; so this class
 * installs such a hook instead of replacing the JVM's signal handling with the unsupported {@code sun.misc.Signal}.
 * An exit that Quarkus itself decides ({@link Quarkus#asyncExit}, a failed start) keeps its own status.
 */
@QuarkusMain
public final class LocalMain {
    private static final Logger LOG = Logger.getLogger(LocalMain.class);
    private static final CountDownLatch STOPPED = new CountDownLatch(1);
    private static volatile boolean failed;
    private static volatile boolean exitRequested;

    LocalMain() {
    }

    public static void main(String... args) {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalMain::exitAfterSignal, "quarry-exit-status"));
        acceptEveryRequestTarget();
        // With an exit handler of its own, Quarkus leaves the report of a failed start to it.
        Quarkus.run(null, LocalMain::exit, args);
    }

    private static void exit(int status, Throwable cause) {
        if (ApplicationLifecycleManager.isVmShuttingDown()) {
            return; // a signal: the hook below decides the status
        }
        if (cause != null) {
            StartFailure.describe(cause).ifPresentOrElse(LOG::error,
                    () -> LOG.error("Failed to start application", cause));
        }
        exitRequested = true;
        System.out.flush();
        System.err.flush();
        System.exit(failed && status == 0 ? 1 : status);
    }

    /**
     * Quarkus refuses a request target that {@link java.net.URI} cannot parse ({@code ?source=%ZZ}) with an empty
     * 400 before any route runs, unless this JVM property is set before its HTTP recorder is loaded (it is read once;
     * quarkusio/quarkus#25092 introduced it, #37804 explains why it is not a configuration key). {@link HttpEdges}
     * makes the same check as the first route instead, and answers with problem JSON; a summary request goes on to the
     * core, which answers it as the Lambda function does.
     */
    static void acceptEveryRequestTarget() {
        System.setProperty(HttpEdges.URI_VALIDATION_PROPERTY, "true");
    }

    private static void exitAfterSignal() {
        if (exitRequested) {
            return;
        }
        try {
            // Quarkus's own hook stops the application; the pipeline's flush is its last step that matters.
            STOPPED.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exitRequested) {
            return;
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
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(failed ? 1 : 0);
    }

    /** The process will exit non-zero (a failed start or a failed shutdown flush). */
    static void fail() {
        failed = true;
    }

    /** The pipeline has stopped; its status is final. */
    static void stopped() {
        STOPPED.countDown();
    }
}
