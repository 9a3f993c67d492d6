package dev.quarry.search;

import dev.quarry.summary.QueryEngine.QueryFailedException;
import java.util.List;

/**
 * The port through which {@code sql/search.sql} runs: DuckDB locally, Athena on AWS. An engine replaces the table
 * token by its table reference and binds the values as values, never as SQL text.
 */
public interface SearchEngine {

    /**
     * The rows of the statement, in its order.
     *
     * @throws QueryFailedException when the engine could not answer (so the caller answers 503)
     */
    List<SearchRow> search(BoundSearch search) throws QueryFailedException;
}
