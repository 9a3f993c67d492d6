package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gauges read each database's own memory; a database spills where the server says, not into ./.tmp. */
class DuckDbMemoryTest {
    @TempDir
    Path temporary;

    @Test
    void a_database_spills_to_the_directory_it_is_given() throws Exception {
        Path spill = temporary.resolve("spill/merge");
        try (DuckDBConnection database = DuckDb.openInMemory(DuckDb.spillDirectory(spill));
                Statement statement = database.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_setting('temp_directory')")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo(spill.toAbsolutePath().toString());
        }
    }

    @Test
    void no_database_keeps_a_cache_of_the_files_it_read() throws Exception {
        try (DuckDBConnection database = DuckDb.openInMemory("threads = 1");
                Statement statement = database.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_setting('enable_external_file_cache'),"
                        + " current_setting('allocator_background_threads')")) {
            result.next();
            assertThat(result.getBoolean(1)).isFalse();
            assertThat(result.getBoolean(2)).isTrue();
        }
    }

    @Test
    void the_gauges_count_what_a_database_holds_and_are_nan_once_it_is_closed() throws Exception {
        DuckDBConnection database = DuckDb.openInMemory("memory_limit = '64MB'");
        DuckDbMemory memory = new DuckDbMemory(database);
        assertThat(memory.memoryBytes()).isZero();
        try (Statement statement = database.createStatement()) {
            statement.execute("CREATE TABLE held AS SELECT range AS n, md5(range::VARCHAR) AS text FROM range(200000)");
        }
        assertThat(memory.memoryBytes()).isGreaterThan(1_000_000);
        assertThat(memory.temporaryBytes()).isZero();
        database.close();
        assertThat(memory.memoryBytes()).isNaN();
    }
}
