package dev.quarry.summary;

import java.util.List;

/**
 * The port through which canned queries run: Athena on AWS, DuckDB locally. An engine replaces
 * {@value CannedQuery#TABLE_TOKEN} by its table reference and binds the parameters as values, never as SQL text.
 */
public interface QueryEngine {

    /**
     * Runs the query and returns its rows in order, each a list of values in the order of
     * {@link CannedQuery#columns()}: a {@link String} for {@code VARCHAR}, a {@link Long} for {@code BIGINT}, an
     * {@link java.time.Instant} for {@code HOUR}.
     *
     * @throws QueryFailedException when the engine could not answer (so the caller answers 503)
     */
    List<List<Object>> run(BoundQuery query) throws QueryFailedException;

    /** Not final: an adapter may say more about the query that failed (Athena: its statistics). */
    class QueryFailedException extends Exception {
        public QueryFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
