package dev.quarry.lambda;

import dev.quarry.athena.AthenaConfig;
import dev.quarry.athena.AthenaQueryEngine;
import dev.quarry.athena.TestingAthenaServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * In tests, the summary function's engine is the real Athena adapter on a loopback Athena ({@link #ATHENA}), with the
 * default configuration and the invocation's deadline, as {@link SummaryFunctionBeans} builds it.
 */
@Singleton
public class TestingSummaryEngine {
    public static final TestingAthenaServer ATHENA = new TestingAthenaServer();

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    AthenaQueryEngine athenaQueryEngine(InvocationDeadline deadline) {
        return new AthenaQueryEngine(ATHENA.client(), AthenaConfig.defaults(), Clock.systemUTC(), deadline::budget);
    }
}
