package dev.quarry.lambda;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The partition function's configuration: {@code QUARRY_DATABASE}, {@code QUARRY_TABLE} in the environment. */
@ConfigMapping(prefix = "quarry")
public interface PartitionFunctionConfig {

    /** The Glue database of the logs table. */
    @WithDefault("quarry")
    String database();

    /** The Glue table whose {@code dt} partitions are registered. */
    @WithDefault("logs")
    String table();
}
