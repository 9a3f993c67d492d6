package dev.quarry.local;

import dev.quarry.local.http.HttpEdges;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;

/**
 * Entry point of the local pipeline, which {@link LocalApp} composes. SIGTERM and SIGINT stop it cleanly (requests
 * already read are answered, everything buffered is written to Parquet) and exit with status 0, or 1 if that flush
 * failed.
 *
 * <p>No supported API changes the status of an exit on a signal except {@link Runtime#halt}, which a shutdown hook
 * may call once the application has stopped ({@link LocalApp} installs it); so it is used instead of replacing the
 * JVM's signal handling with the unsupported {@code sun.misc.Signal}. Every other exit (a failed start, a failed
 * recovery) comes here from Quarkus once the application has stopped, with its status.
 */
@QuarkusMain
public final class LocalMain {
    private static final Logger LOG = Logger.getLogger(LocalMain.class);

    LocalMain() {
    }

    public static void main(String... args) {
        acceptEveryRequestTarget();
        // With an exit handler of its own, Quarkus leaves the report of a failed start to it.
        Quarkus.run(LocalApp.class, LocalMain::exit, args);
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

    private static void exit(int status, Throwable cause) {
        if (ApplicationLifecycleManager.isVmShuttingDown()) {
            return; // a signal: LocalApp's hook sets the status
        }
        if (cause != null) {
            StartFailure.describe(cause).ifPresentOrElse(LOG::error,
                    () -> LOG.error("Failed to start application", cause));
        }
        halt(status);
    }

    /** The end of the process, the application already stopped: nothing is left for shutdown hooks to do. */
    static void halt(int status) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
