package dev.quarry.athena;

import dev.quarry.search.BoundSearch;
import dev.quarry.search.SearchEngine;
import dev.quarry.search.SearchRow;
import dev.quarry.summary.BoundQuery;
import dev.quarry.summary.QueryEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatistics;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * Runs canned queries on Athena: {@code StartQueryExecution} (values only as execution parameters, result reuse by
 * the age the answer may be cached), {@code GetQueryExecution} polled with backoff until the query ends or the time
 * budget runs out (then {@code StopQueryExecution}), and {@code GetQueryResults} followed across pages. Throttling
 * is retried by the client's standard retry strategy ({@link AthenaClients}), not here.
 *
 * <p>Thread-safe and stateless: each query's statistics come back with its rows ({@link #execute}), or with its
 * failure ({@link AthenaQueryFailedException}), so a caller never has to guess which query some shared state is about.
 */
public final class AthenaQueryEngine implements QueryEngine, SearchEngine {
    private static final Logger LOG = Logger.getLogger(AthenaQueryEngine.class.getName());
    /** A function URL answers within the Lambda's timeout; CloudFront's origin read timeout is 30 s by default. */
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(20);
    static final Duration FIRST_POLL = Duration.ofMillis(100);
    static final Duration LONGEST_POLL = Duration.ofSeconds(1);
    /** Each call may take the rest of the budget, but never less than this (a call cut off at once helps no one). */
    static final Duration SHORTEST_CALL = Duration.ofSeconds(1);
    /** For the stop sent after the budget ran out: the caller's margin must cover it. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /** GetQueryResults returns at most 1,000 rows per page. */
    static final int PAGE_SIZE = 1000;

    /** How the engine waits between polls; tests hand in one that advances a fake clock. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final AthenaClient athena;
    private final AthenaConfig config;
    private final Clock clock;
    private final Supplier<Duration> timeBudget;
    private final Sleeper sleeper;

    /** With the system clock and a budget of {@link #DEFAULT_TIME_BUDGET} per query. */
    public AthenaQueryEngine(AthenaClient athena, AthenaConfig config) {
        this(athena, config, Clock.systemUTC(), () -> DEFAULT_TIME_BUDGET);
    }

    /**
     * @param clock gives today's UTC date (for the result reuse age) and measures the budget
     * @param timeBudget asked once per query: how long it may take from start to its last row (a Lambda hands in its
     *     remaining time less what it needs to answer)
     */
    public AthenaQueryEngine(AthenaClient athena, AthenaConfig config, Clock clock, Supplier<Duration> timeBudget) {
        this(athena, config, clock, timeBudget, duration -> Thread.sleep(duration.toMillis()));
    }

    /**
     * The engine of a deployed function: a client of the standard configuration ({@link AthenaClients#create()}),
     * the system clock, and the caller's time budget per query. Build it once per process: it owns its client.
     */
    public static AthenaQueryEngine create(AthenaConfig config, Supplier<Duration> timeBudget) {
        return new AthenaQueryEngine(AthenaClients.create(), config, Clock.systemUTC(), timeBudget);
    }

    AthenaQueryEngine(AthenaClient athena, AthenaConfig config, Clock clock, Supplier<Duration> timeBudget,
            Sleeper sleeper) {
        this.athena = athena;
        this.config = config;
        this.clock = clock;
        this.timeBudget = timeBudget;
        this.sleeper = sleeper;
    }

    /** The rows of one query, and what it cost. */
    public record Result(List<List<Object>> rows, QueryStats stats) {
    }

    /** A query that failed; its statistics are there when Athena had accepted it (it may have scanned and cost). */
    public static final class AthenaQueryFailedException extends QueryFailedException {
        private final transient QueryStats stats;

        AthenaQueryFailedException(String message, Throwable cause, QueryStats stats) {
            super(message, cause);
            this.stats = stats;
        }

        public Optional<QueryStats> stats() {
            return Optional.ofNullable(stats);
        }
    }

    @Override
    public List<List<Object>> run(BoundQuery query) throws QueryFailedException {
        return execute(query).rows();
    }

    /** Runs the query and returns its rows with its statistics. */
    public Result execute(BoundQuery query) throws QueryFailedException {
        String name = query.query().queryName();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Raw raw = executeRaw(name, QueryToAthena.request(query, config, today));
        List<List<Object>> typed;
        try {
            typed = AthenaToRows.rows(query.query(), raw.columns(), raw.rows());
        } catch (QueryFailedException e) {
            throw new AthenaQueryFailedException(e.getMessage(), e, record(stats(name, raw.id(), raw.execution(), 0)));
        }
        return new Result(typed, record(stats(name, raw.id(), raw.execution(), typed.size())));
    }

    /** The rows of one search page, and what it cost. */
    public record SearchResult(List<SearchRow> rows, QueryStats stats) {
    }

    @Override
    public List<SearchRow> search(BoundSearch search) throws QueryFailedException {
        return executeSearch(search).rows();
    }

    /**
     * Runs {@code sql/search.sql}: every value an execution parameter, result reuse only for a closed range (an open
     * one may be cached 10 s at most, less than Athena's shortest reuse of a minute).
     */
    public SearchResult executeSearch(BoundSearch search) throws QueryFailedException {
        Raw raw = executeRaw(SearchToAthena.NAME, SearchToAthena.request(search, config,
                LocalDate.now(clock.withZone(ZoneOffset.UTC))));
        List<SearchRow> rows;
        try {
            rows = SearchToAthena.rows(raw.columns(), raw.rows());
        } catch (QueryFailedException e) {
            throw new AthenaQueryFailedException(e.getMessage(), e,
                    record(stats(SearchToAthena.NAME, raw.id(), raw.execution(), 0)));
        }
        return new SearchResult(rows, record(stats(SearchToAthena.NAME, raw.id(), raw.execution(), rows.size())));
    }

    /** A succeeded query's result as Athena gave it: the column metadata and the data rows (header row left out). */
    private record Raw(String id, QueryExecution execution, List<ColumnInfo> columns, List<Row> rows) {
    }

    private Raw executeRaw(String name, StartQueryExecutionRequest request) throws QueryFailedException {
        Instant deadline = clock.instant().plus(timeBudget.get());
        String id;
        try {
            id = athena.startQueryExecution(request.toBuilder()
                    .overrideConfiguration(callTimeout(deadline)).build()).queryExecutionId();
        } catch (SdkException e) {
            throw new QueryFailedException("Cannot start " + name + " on Athena, because " + e.getMessage(), e);
        }
        QueryExecution execution = awaitSuccess(name, id, deadline);
        List<ColumnInfo> columns = null;
        List<Row> rows = new ArrayList<>();
        String nextToken = null;
        try {
            do {
                if (nextToken != null && !clock.instant().isBefore(deadline)) {
                    throw new QueryFailedException("Cannot read all results of Athena query " + id + " (" + name
                            + ") within its time budget", null);
                }
                String token = nextToken;
                GetQueryResultsResponse page = athena.getQueryResults(next -> next.queryExecutionId(id)
                        .maxResults(PAGE_SIZE).nextToken(token).overrideConfiguration(callTimeout(deadline)));
                List<Row> pageRows = page.resultSet().rows();
                if (columns == null) {
                    columns = page.resultSet().resultSetMetadata().columnInfo();
                    // The first row of the first page holds the column names.
                    pageRows = pageRows.isEmpty() ? pageRows : pageRows.subList(1, pageRows.size());
                }
                rows.addAll(pageRows);
                nextToken = page.nextToken();
            } while (nextToken != null);
        } catch (SdkException e) {
            throw new QueryFailedException("Cannot read the results of Athena query " + id + " (" + name + "), because "
                    + e.getMessage(), e);
        }
        return new Raw(id, execution, columns, rows);
    }

    /** Polls until the query succeeded; fails when it failed, was cancelled, or outlived the deadline (stopping it). */
    private QueryExecution awaitSuccess(String name, String id, Instant deadline) throws QueryFailedException {
        Duration delay = FIRST_POLL;
        QueryExecution execution = null;
        while (true) {
            Duration remaining = Duration.between(clock.instant(), deadline);
            try {
                sleeper.sleep(remaining.isNegative() ? Duration.ZERO : min(delay, remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(id);
                throw new QueryFailedException("Interrupted while waiting for Athena query " + id + " (" + name + ")",
                        e);
            }
            try {
                execution = athena.getQueryExecution(request -> request.queryExecutionId(id)
                        .overrideConfiguration(callTimeout(deadline))).queryExecution();
            } catch (SdkException e) {
                stop(id);
                throw new QueryFailedException("Cannot learn the state of Athena query " + id + " (" + name
                        + "), because " + e.getMessage(), e);
            }
            QueryExecutionState state = execution.status() == null ? null : execution.status().state();
            if (state == QueryExecutionState.SUCCEEDED) {
                return execution;
            }
            if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                throw new AthenaQueryFailedException("Athena query " + id + " (" + name + ") " + state + ": "
                        + execution.status().stateChangeReason(), null, record(stats(name, id, execution, 0)));
            }
            if (!clock.instant().isBefore(deadline)) {
                stop(id);
                throw new AthenaQueryFailedException("Athena query " + id + " (" + name + ") was still " + state
                        + " when its time budget ran out; it was stopped", null, record(stats(name, id, execution, 0)));
            }
            delay = min(delay.multipliedBy(2), LONGEST_POLL);
        }
    }

    private void stop(String id) {
        try {
            athena.stopQueryExecution(request -> request.queryExecutionId(id)
                    .overrideConfiguration(override -> override.apiCallTimeout(STOP_TIMEOUT)));
        } catch (SdkException e) {
            // The workgroup's scan cutoff still bounds what the query can cost.
            LOG.log(Level.WARNING, "Cannot stop Athena query " + id + ", because " + e.getMessage(), e);
        }
    }

    private AwsRequestOverrideConfiguration callTimeout(Instant deadline) {
        Duration remaining = Duration.between(clock.instant(), deadline);
        return AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(remaining.compareTo(SHORTEST_CALL) < 0 ? SHORTEST_CALL : remaining).build();
    }

    private static QueryStats record(QueryStats stats) {
        LOG.info(stats.logLine());
        return stats;
    }

    private static QueryStats stats(String name, String id, QueryExecution execution, int rows) {
        QueryExecutionStatistics statistics = execution.statistics();
        String state = execution.status() == null ? "UNKNOWN" : execution.status().stateAsString();
        if (statistics == null) {
            return new QueryStats(id, name, state, -1, -1, -1, false, rows);
        }
        return new QueryStats(id, name, state, orUnknown(statistics.dataScannedInBytes()),
                orUnknown(statistics.engineExecutionTimeInMillis()), orUnknown(statistics.totalExecutionTimeInMillis()),
                statistics.resultReuseInformation() != null
                        && Boolean.TRUE.equals(statistics.resultReuseInformation().reusedPreviousResult()),
                rows);
    }

    private static long orUnknown(Long value) {
        return value == null ? -1 : value;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
