package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A setting no pool can start with ends the packaged server's start, as {@code docs/local.md} says. */
class LocalConfigIT {
    @TempDir
    Path temporary;

    @Test
    void a_pool_of_no_threads_ends_the_start_with_one_line_and_status_1() throws Exception {
        Path dataDir = temporary.resolve("data");
        TestingLocalServer.Exited exited = TestingLocalServer.refusedStart(dataDir, temporary.resolve("pool.log"),
                TestingLocalServer.env("QUARRY_SUMMARY_QUERY_THREADS", "0"));
        assertThat(exited.status()).isEqualTo(1);
        assertThat(exited.log()).contains("quarry.summary.query-threads (QUARRY_SUMMARY_QUERY_THREADS) must be at"
                + " least 1");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void a_value_that_cannot_be_read_names_the_property_and_its_environment_variable_in_one_line() throws Exception {
        Path dataDir = temporary.resolve("data");
        TestingLocalServer.Exited exited = TestingLocalServer.refusedStart(dataDir, temporary.resolve("age.log"),
                TestingLocalServer.env("QUARRY_FLUSH_MAX_AGE", "soon"));
        assertThat(exited.status()).isEqualTo(1);
        assertThat(exited.log()).contains("quarry.flush.max-age (QUARRY_FLUSH_MAX_AGE)").contains("\"soon\"");
        assertThat(dataDir).doesNotExist();
    }
}
