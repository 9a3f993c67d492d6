package dev.quarry.lambda;

import dev.quarry.catalog.PartitionCatalog;
import dev.quarry.glue.GluePartitionCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the partition function's port to its AWS adapter; tests replace the catalog with a fake. */
@Singleton
public class PartitionFunctionBeans {
    /** The value Lambda sets in {@code AWS_LAMBDA_INITIALIZATION_TYPE} while it initializes for a snapshot. */
    static final String SNAP_START = "snap-start";

    @Produces
    @Singleton
    PartitionCatalog partitionCatalog(FunctionConfig config) {
        return GluePartitionCatalog.create(config.database(), config.table());
    }

    /**
     * Under SnapStart, builds the Glue client during init, which runs once when a version is published and is
     * snapshotted: restored functions then answer their first event about 0.5 s sooner (measured by
     * {@code FunctionZipIT}). On an on-demand cold start the client is built in the first invocation instead, which
     * keeps init (billed, and the goal of 1.5 s) short. The table is read on first use either way: no network call
     * goes into a snapshot.
     */
    void prepare(@Observes StartupEvent startup, @ConfigProperty(name = "quarkus.lambda.handler")
            Optional<String> handler, Instance<PartitionCatalog> catalog) {
        boolean snapStart = SNAP_START.equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
        if (snapStart && handler.filter("partition"::equals).isPresent()) {
            catalog.get().toString();
        }
    }
}
