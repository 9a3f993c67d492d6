package dev.quarry.lambda;

import dev.quarry.athena.AthenaConfig;
import dev.quarry.athena.AthenaQueryEngine;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.SummaryService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the summary function to Athena, once per container: one {@link SummaryService} (and the search service in
 * it) on one engine, hence one {@code AthenaClient}, configured by {@link FunctionConfig} ({@code QUARRY_WORKGROUP},
 * {@code QUARRY_DATABASE}, {@code QUARRY_TABLE}), its caching by {@code QUARRY_RETENTION_DAYS}; each query's budget
 * comes from the invocation's remaining time. Tests replace the engine with one on a loopback Athena.
 */
@Singleton
public class SummaryFunctionBeans {

    @Produces
    @Singleton
    AthenaQueryEngine athenaQueryEngine(FunctionConfig config, InvocationDeadline deadline) {
        return AthenaQueryEngine.create(new AthenaConfig(config.workgroup(), config.database(), config.table(),
                AthenaConfig.MAX_RESULT_REUSE_MINUTES), deadline::budget);
    }

    /** No answer is cached longer than its oldest day is kept ({@link FunctionConfig#retentionDays}). */
    @Produces
    @Singleton
    CachePolicy cachePolicy(FunctionConfig config) {
        return CachePolicy.withRetention(config.retentionDays());
    }

    @Produces
    @Singleton
    SummaryService summaryService(AthenaEngines engines, CachePolicy cachePolicy) {
        return new SummaryService(engines, engines, Clock.systemUTC(), cachePolicy);
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
