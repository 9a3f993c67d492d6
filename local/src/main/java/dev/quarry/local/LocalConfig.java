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

    /** When set, {@code GET /summary/*} requires it as {@code Authorization: Bearer <key>}. */
    Optional<String> readKey();

    Flush flush();

    Ingest ingest();

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
}
