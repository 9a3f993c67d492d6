package dev.quarry.lambda;

import dev.quarry.athena.AthenaConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Both functions' configuration, read one way: {@code QUARRY_*} in the environment (SmallRye maps
 * {@code QUARRY_RETENTION_DAYS} to {@code quarry.retention-days}), each default written once, in {@link AthenaConfig}.
 * The partition function reads the database and table; the summary function all four.
 */
@ConfigMapping(prefix = "quarry")
public interface FunctionConfig {

    /** {@code QUARRY_DATABASE}: the Glue database of the logs table. */
    @WithDefault(AthenaConfig.DEFAULT_DATABASE)
    String database();

    /** {@code QUARRY_TABLE}: the logs table (the partition function registers its {@code dt} partitions). */
    @WithDefault(AthenaConfig.DEFAULT_TABLE)
    String table();

    /** {@code QUARRY_WORKGROUP}: the Athena workgroup the summaries run in. */
    @WithDefault(AthenaConfig.DEFAULT_WORKGROUP)
    String workgroup();

    /**
     * {@code QUARRY_RETENTION_DAYS}: the days S3 keeps under {@code logs/} (serverless.yml sets it from
     * {@code logRetentionDays}), so that no answer is cached longer than its oldest day is kept; unset keeps every day.
     */
    Optional<Integer> retentionDays();
}
