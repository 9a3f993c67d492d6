package dev.quarry.local;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The data directory, taken before anything else touches it and before the port is bound: settings that cannot
 * work, a second server on the same directory, or a directory that cannot be written, end the start with one line
 * and status 1. Held for the life of the process.
 */
@ApplicationScoped
public class DataDirectory {
    private static final Logger LOG = Logger.getLogger(DataDirectory.class);

    @Inject
    LocalConfig config;

    private DataDirectoryLock lock;

    void lock(@Observes @Priority(1) StartupEvent event) {
        LocalConfig.refusal(config).ifPresent(reason -> {
            throw refuseToStart(reason);
        });
        ensureLocked();
        LOG.infof("Quarry local pipeline: data in %s", path());
    }

    /** Locks the directory unless this process holds it already. */
    synchronized void ensureLocked() {
        if (lock != null) {
            return;
        }
        Path dataDir = path();
        try {
            lock = DataDirectoryLock.acquire(dataDir);
        } catch (DataDirectoryLock.HeldException e) {
            throw refuseToStart(e.getMessage());
        } catch (IOException e) {
            throw refuseToStart("Cannot use the data directory " + dataDir + ": " + Recovery.describe(e));
        }
    }

    /** Absolute and normalised. */
    Path path() {
        return config.dataDir().toAbsolutePath().normalize();
    }

    /**
     * One line and status 1. Nothing is open yet (no port, no file but the lock's), so the process ends here:
     * Quarkus's own ways to stop a start (PreventFurtherStepsException) log a stack trace on the way out.
     */
    private static RuntimeException refuseToStart(String reason) {
        LOG.error(reason);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(1);
        return new IllegalStateException(reason);
    }
}
