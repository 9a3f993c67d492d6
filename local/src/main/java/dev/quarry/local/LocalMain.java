package dev.quarry.local;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * Entry point of the local pipeline. SIGTERM and SIGINT stop it cleanly (everything buffered is written to
 * Parquet) and exit with status 0; the JVM's own handling would exit with 143 or 130, which supervisors
 * report as a crash.
 */
@QuarkusMain
public final class LocalMain {
    private LocalMain() {
    }

    public static void main(String... args) {
        Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Signal.handle(new Signal("INT"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(args);
    }
}
