package dev.quarry.lambda;

import dev.quarry.athena.AthenaQueryEngine;
import dev.quarry.athena.QueryStats;
import dev.quarry.search.BoundSearch;
import dev.quarry.search.SearchEngine;
import dev.quarry.search.SearchRow;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.QueryEngine;
import dev.quarry.summary.QueryEngine.QueryFailedException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The summary function's two engine ports on the Athena adapter, keeping the statistics of the query an invocation
 * ran (if Athena accepted it) for its log line. The adapter is looked up when a query is to run: the singleton (and
 * its AthenaClient) is made on first use, once per container. A container runs one invocation at a time.
 */
@Singleton
public class AthenaEngines implements QueryEngine, SearchEngine {
    private final Instance<AthenaQueryEngine> engines;
    private final AtomicReference<QueryStats> ran = new AtomicReference<>();

    @Inject
    public AthenaEngines(Instance<AthenaQueryEngine> engines) {
        this.engines = engines;
    }

    @Override
    public List<List<Object>> run(BoundQuery query) throws QueryFailedException {
        return recording(engine -> engine.execute(query), AthenaQueryEngine.Result::stats).rows();
    }

    @Override
    public List<SearchRow> search(BoundSearch search) throws QueryFailedException {
        return recording(engine -> engine.executeSearch(search), AthenaQueryEngine.SearchResult::stats).rows();
    }

    private <R> R recording(AthenaCall<R> call, Function<R, QueryStats> stats) throws QueryFailedException {
        try {
            R result = call.on(engines.get());
            ran.set(stats.apply(result));
            return result;
        } catch (AthenaQueryEngine.AthenaQueryFailedException e) {
            e.stats().ifPresent(ran::set);
            throw e;
        }
    }

    @FunctionalInterface
    private interface AthenaCall<R> {
        R on(AthenaQueryEngine engine) throws QueryFailedException;
    }

    /** The statistics of the query run since the last call, if any; forgets them. */
    Optional<QueryStats> takeStats() {
        return Optional.ofNullable(ran.getAndSet(null));
    }
}
