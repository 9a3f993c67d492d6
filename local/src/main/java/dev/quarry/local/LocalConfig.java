package dev.quarry.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The local pipeline's settings; each key is also an environment variable ({@code quarry.data-dir} is
 * {@code QUARRY_DATA_DIR}). Defaults are pinned by {@code LocalConfigTest}.
 */
@ConfigMapping(prefix = "quarry")
public interface LocalConfig {

    /** Where the write-ahead log, the Parquet files and the catalog live. */
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
}
