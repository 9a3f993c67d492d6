package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.quarry.athena.AthenaQueryEngine;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The time a summary's query may take: what the current invocation has left ({@link Context#getRemainingTimeInMillis})
 * less {@link #MARGIN}, so that the function still answers (a 503 when Athena was too slow) before Lambda ends it.
 * Outside an invocation (or without a context) it is {@link AthenaQueryEngine#DEFAULT_TIME_BUDGET}.
 *
 * <p>A function instance handles one invocation at a time; the context is still kept per thread.
 */
@Singleton
public class InvocationDeadline {
    /**
     * Covers the engine's {@code StopQueryExecution} after the budget ran out (at most 2 s), the last poll's call
     * (at least 1 s even when less is left) and writing the answer.
     */
    static final Duration MARGIN = Duration.ofSeconds(3);

    private final ThreadLocal<Context> current = new ThreadLocal<>();

    void begin(Context context) {
        current.set(context);
    }

    void end() {
        current.remove();
    }

    /** Asked by the engine once per query. Never negative: with no time left the query gets one poll, then 503. */
    public Duration budget() {
        Context context = current.get();
        if (context == null) {
            return AthenaQueryEngine.DEFAULT_TIME_BUDGET;
        }
        return budget(context.getRemainingTimeInMillis());
    }

    static Duration budget(long remainingMillis) {
        Duration budget = Duration.ofMillis(remainingMillis).minus(MARGIN);
        return budget.isNegative() ? Duration.ZERO : budget;
    }
}
