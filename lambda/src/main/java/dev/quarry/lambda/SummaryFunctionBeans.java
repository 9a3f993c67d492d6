package dev.quarry.lambda;

import dev.quarry.athena.AthenaConfig;
import dev.quarry.athena.AthenaQueryEngine;
import dev.quarry.summary.CachePolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the summary function to Athena: one engine, hence one {@code AthenaClient}, per container, configured by
 * {@code QUARRY_WORKGROUP}, {@code QUARRY_DATABASE}, {@code QUARRY_TABLE} (defaults {@code quarry}, {@code quarry},
 * {@code logs}), its caching by {@code QUARRY_RETENTION_DAYS} (default: days are kept for ever); each query's budget comes from the invocation's remaining time. Tests replace the engine with one
 * on a loopback Athena.
 */
@Singleton
public class SummaryFunctionBeans {

    @Produces
    @Singleton
    AthenaQueryEngine athenaQueryEngine(InvocationDeadline deadline) {
        return AthenaQueryEngine.create(AthenaConfig.fromEnvironment(System.getenv()), deadline::budget);
    }

    /**
     * {@code QUARRY_RETENTION_DAYS}: the days S3 keeps under {@code logs/} (serverless.yml sets it from
     * {@code logRetentionDays}), so that no answer is cached longer than its oldest day is kept.
     */
    @Produces
    @Singleton
    CachePolicy cachePolicy(@ConfigProperty(name = "quarry.retention-days") Optional<Integer> retentionDays) {
        return CachePolicy.withRetention(retentionDays);
    }

    /**
     * As for the partition function ({@link PartitionFunctionBeans#prepare}): under SnapStart the client is built
     * during init, into the snapshot; on an on-demand cold start, in the first invocation. No network call either way.
     */
    void prepare(@Observes StartupEvent startup, @ConfigProperty(name = "quarkus.lambda.handler")
            Optional<String> handler, Instance<AthenaQueryEngine> engine) {
        boolean snapStart = PartitionFunctionBeans.SNAP_START.equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
        if (snapStart && handler.filter(SummaryHandler.NAME::equals).isPresent()) {
            engine.get().toString();
        }
    }
}
