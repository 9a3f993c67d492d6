package dev.quarry.local.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The local pipeline's settings; each key is also an environment variable ({@code quarry.data-dir} is
 * {@code QUARRY_DATA_DIR}). Defaults are pinned by {@code LocalConfigTest}; {@code LocalConfigDefaultsTest} fails
 * for a key without a recorded default or without its row (environment name, same default) in docs/local.md.
 */
@ConfigMapping(prefix = "quarry")
public interface LocalConfig {

    /** Where the write-ahead log and the Parquet files live. */
    @WithDefault("./data")
    Path dataDir();

    /** When set, {@code POST /logs} requires it in the {@code x-api-key} header, as API Gateway does. */
    Optional<String> apiKey();

    /** On SIGTERM, requests already read get this long to be answered before the pipeline flushes and exits. */
    @WithDefault("30s")
    Duration shutdownTimeout();

    /**
     * When set, days older than this many days by {@code dt} are removed (table state first, then files); unset
     * keeps everything. Also read by the summary's cache headers.
     */
    Optional<Integer> retentionDays();

    /** When set, {@code GET /summary/*} requires it as {@code Authorization: Bearer <key>}. */
    Optional<String> readKey();

    Flush flush();

    Ingest ingest();

    Compaction compaction();

    Summary summary();

    Duckdb duckdb();
    Tail tail();

    /**
     * The settings that no default guards against: a pool of 0 threads or a queue of 0 places cannot start. Read
     * before the data directory is touched; the answer is the one line an operator needs, or empty.
     */
    static Optional<String> refusal(LocalConfig config) {
        if (config.ingest().workers() < 0) {
            return Optional.of(atLeast("quarry.ingest.workers", config.ingest().workers(), 0));
        }
        if (config.ingest().maxPending() < 1) {
            return Optional.of(atLeast("quarry.ingest.max-pending", config.ingest().maxPending(), 1));
        }
        if (config.summary().queryThreads() < 1) {
            return Optional.of(atLeast("quarry.summary.query-threads", config.summary().queryThreads(), 1));
        }
        if (config.tail().maxClients() < 0) {
            return Optional.of(atLeast("quarry.tail.max-clients", config.tail().maxClients(), 0));
        }
        if (config.tail().keepAlive().isNegative() || config.tail().keepAlive().isZero()) {
            return Optional.of("Cannot start with quarry.tail.keep-alive = " + config.tail().keepAlive()
                    + ", because quarry.tail.keep-alive (QUARRY_TAIL_KEEP_ALIVE) must be a positive duration");
        }
        if (config.summary().maxPending() < 1) {
            return Optional.of(atLeast("quarry.summary.max-pending", config.summary().maxPending(), 1));
        }
        return Optional.empty();
    }

    private static String atLeast(String key, int value, int minimum) {
        return "Cannot start with " + key + " = " + value + ", because " + key + " (" + environmentVariable(key)
                + ") must be at least " + minimum;
    }

    /** The environment variable MicroProfile Config maps to the key: non-alphanumerics become _, in capitals. */
    public static String environmentVariable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    interface Flush {
        /** Buffered records are written to Parquet at the latest this long after the first of them arrived. */
        @WithDefault("5s")
        Duration maxAge();

        /** ...or as soon as this many bytes of records are buffered. */
        @WithDefault("67108864")
        long maxBytes();

        /** How often the age and size are checked. */
        @WithDefault("250ms")
        Duration checkInterval();
    }

    interface Ingest {
        /** Threads that parse and validate request bodies (0: one per processor). */
        @WithDefault("0")
        int workers();

        /** Requests parsed or waiting to be; beyond this the server answers 503 with Retry-After. */
        @WithDefault("1024")
        int maxPending();
    }

    interface Compaction {
        /** A quiet day is merged to about one file of this size each. */
        @WithDefault("134217728")
        long targetFileBytes();

        /**
         * While a day still receives records, no merge makes a file larger than this (or than a 16th of the day, when
         * that is larger): the working memory of a merge grows with its rows. Once the day is quiet its files are
         * merged to the target size.
         */
        @WithDefault("16777216")
        long openDayFileBytes();

        /** A day that received nothing for this long is merged down to the target size. */
        @WithDefault("60s")
        Duration quietAfter();

        /** Replaced files are deleted this long after they left the table, so running statements keep them. */
        @WithDefault("60s")
        Duration gracePeriod();

        /** How often the days are checked for files to merge. */
        @WithDefault("1s")
        Duration checkInterval();
    }

    interface Summary {
        /** Summaries queried at once; DuckDB parallelises each query over the processors itself. */
        @WithDefault("4")
        int queryThreads();

        /** Summaries waiting for a query thread; beyond this the server answers 503 with Retry-After. */
        @WithDefault("64")
        int maxPending();

        /**
         * Summary answers kept in memory, by the statement that made them (which names every file it read): a
         * repeated summary over unchanged files is answered without a query (0 keeps none).
         */
        @WithDefault("256")
        int cachedAnswers();
    }

    /**
     * Each of the server's three DuckDB databases has its own memory limit (DuckDB's syntax: {@code 512MB},
     * {@code 2GB}); DuckDB's default would be 80 % of the machine's memory for each.
     */
    interface Duckdb {
        /** Summaries and their threads share this; a query that needs more is answered 503. */
        @WithDefault("1GB")
        String queryMemoryLimit();

        /** Threads of the summaries' database (0: one per processor). */
        @WithDefault("0")
        int queryThreads();

        /** The flushes' database: a flush that needs more fails and is retried (nothing acknowledged is lost). */
        @WithDefault("512MB")
        String flushMemoryLimit();

        /** Compaction's database: a merge that needs more fails and the day's files stay as they are. */
        @WithDefault("256MB")
        String mergeMemoryLimit();
    }

    interface Tail {
        /** {@code GET /tail} streams open at once; one more is answered 503 (0 turns tails off). */
        @WithDefault("32")
        int maxClients();

        /** A comment line sent this often keeps proxies and the idle timeout from closing a quiet stream. */
        @WithDefault("15s")
        Duration keepAlive();
    }
}
