package dev.quarry.lambda;

import dev.quarry.catalog.PartitionCatalog;
import dev.quarry.glue.GluePartitionCatalog;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the partition function's port to its AWS adapter; tests replace the catalog with a fake. */
@Singleton
public class PartitionFunctionBeans {

    @Produces
    @Singleton
    PartitionCatalog partitionCatalog(PartitionFunctionConfig config) {
        return GluePartitionCatalog.create(config.database(), config.table());
    }
}
