package dev.quarry.local.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.duckdb.DuckDbParquetWriter;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.local.table.Checkpoints;
import dev.quarry.local.table.TableState;
import dev.quarry.local.wal.WalCodec;
import dev.quarry.local.wal.WalRecovery;
import dev.quarry.local.wal.WriteAheadLog;
import dev.quarry.record.RecordParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlusherTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-27T10:00:00Z");
    private static final RecordParser PARSER = RecordParser.create();

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private static byte[] request(String json) throws Exception {
        return WalCodec.encode(PARSER.parse(json.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    private static final String TWO_DAYS = "[{\"source\":\"app\",\"logtype\":\"error\",\"message\":\"late\","
            + "\"timestamp\":\"2026-11-26T23:59:59.999Z\",\"attributes\":{\"k\":\"v\"}},"
            + "{\"source\":\"app\",\"logtype\":\"info\",\"message\":\"early\",\"timestamp\":\"2026-11-27T00:00:00Z\"}]";

    private Flusher flusher(WriteAheadLog wal, Checkpoints checkpoints) throws Exception {
        DuckDbParquetWriter writer = new DuckDbParquetWriter();
        open.add(writer);
        return new Flusher(wal, dataDir, writer, TableState.open(dataDir), checkpoints);
    }

    private WriteAheadLog openWal() throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(dataDir.resolve("wal"));
        open.add(wal);
        return wal;
    }

    @Test
    void a_flush_writes_one_parquet_file_per_event_day_and_empties_the_log() throws Exception {
        WriteAheadLog wal = openWal();
        wal.append(request(TWO_DAYS)).get();
        Flusher.Result result = flusher(wal, step -> { }).flush();

        assertThat(result.recordsPerDay()).containsExactly(
                java.util.Map.entry(LocalDate.parse("2026-11-26"), 1L),
                java.util.Map.entry(LocalDate.parse("2026-11-27"), 1L));
        assertThat(parquetFiles()).extracting(p -> dataDir.relativize(p).toString()).satisfiesExactly(
                first -> assertThat(first).matches("logs/dt=2026-11-26/quarry-0{15}1-0{15}1-[0-9a-f]{16}\\.parquet"),
                second -> assertThat(second).matches("logs/dt=2026-11-27/quarry-0{15}1-0{15}1-[0-9a-f]{16}\\.parquet"));
        assertThat(dataDir.resolve("wal")).isEmptyDirectory();
        assertThat(rows()).containsExactly(
                "2026-11-26|app|error|2026-11-26T23:59:59.999Z|late|{k=v}|2026-11-27T10:00:00Z",
                "2026-11-27|app|info|2026-11-27T00:00:00Z|early|null|2026-11-27T10:00:00Z");
        assertThat(wal.rotate().get()).isEmpty();
    }

    @Test
    void the_files_have_the_storage_contract_columns_with_utc_adjusted_timestamps() throws Exception {
        WriteAheadLog wal = openWal();
        wal.append(request(TWO_DAYS)).get();
        flusher(wal, step -> { }).flush();
        List<String> schema = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet columns = statement.executeQuery("SELECT name, logical_type FROM parquet_schema('"
                        + parquetFiles().get(0) + "') WHERE name IN ('source', 'logtype', 'timestamp', 'message',"
                        + " 'attributes', 'received_at')")) {
            while (columns.next()) {
                schema.add(columns.getString(1) + " " + columns.getString(2));
            }
        }
        assertThat(schema).hasSize(6);
        assertThat(schema).filteredOn(c -> c.startsWith("timestamp") || c.startsWith("received_at"))
                .allSatisfy(c -> assertThat(c).contains("isAdjustedToUTC=1").contains("MICROS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staged", "committed", "completed"})
    void a_crash_at_any_step_of_a_flush_neither_loses_nor_duplicates_a_record(String crashAt) throws Exception {
        WriteAheadLog wal = openWal();
        wal.append(request(TWO_DAYS)).get();
        Flusher crashing = flusher(wal, step -> {
            if (step.equals(crashAt)) {
                throw new IllegalStateException("crash at " + step);
            }
        });
        assertThatThrownBy(crashing::flush).hasMessage("crash at " + crashAt);
        wal.close();

        // The next start, as Pipeline does it.
        Flusher.recover(dataDir, TableState.open(dataDir));
        WalRecovery.recover(dataDir.resolve("wal"));
        WriteAheadLog restarted = openWal();
        flusher(restarted, step -> { }).flush();

        assertThat(rows()).hasSize(2).extracting(row -> row.split("\\|")[4]).containsExactlyInAnyOrder("late", "early");
        assertThat(dataDir.resolve("wal")).isEmptyDirectory();
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
        // Readers take the files from the manifests, which name exactly the files on disk.
        assertThat(LiveFiles.forDays(dataDir, LocalDate.parse("2026-11-26"), LocalDate.parse("2026-11-27")))
                .containsExactlyElementsOf(parquetFiles());
        assertThat(dataDir.resolve("logs/dt=2026-11-27/" + LiveFiles.MANIFEST)).exists();
    }

    /** Issue 13 finding 4: a manifest write that met a full disk left the staged file and the manifest's temporary. */
    @Test
    void a_full_disk_at_the_manifest_leaves_no_temporary_file_and_loses_nothing() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "/dev/full is needed");
        WriteAheadLog wal = openWal();
        wal.append(request(TWO_DAYS)).get();
        // Once the Parquet files are staged, the manifest's temporary file is /dev/full: its write fails with ENOSPC.
        Flusher failing = flusher(wal, step -> {
            if (step.equals("staged")) {
                try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
                    String staged = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet.tmp"))
                            .findFirst().orElseThrow();
                    String name = staged.substring(1, staged.length() - ".parquet.tmp".length());
                    Files.createSymbolicLink(dataDir.resolve("wal/." + "commit-" + name + ".json.tmp"),
                            full);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertThatThrownBy(failing::flush).hasMessageContaining("No space left");
        assertThat(temporaryFiles()).isEmpty();

        flusher(wal, step -> { }).flush();
        assertThat(rows()).extracting(row -> row.split("\\|")[4]).containsExactlyInAnyOrder("late", "early");
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void recovery_deletes_a_manifest_temporary_file_left_by_a_crash() throws Exception {
        Path leftover = dataDir.resolve("wal/." + "commit-" + "quarry-x.json.tmp");
        Files.createDirectories(leftover.getParent());
        Files.createFile(leftover);
        Flusher.recover(dataDir, TableState.open(dataDir));
        assertThat(leftover).doesNotExist();
    }

    private List<Path> temporaryFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void a_flush_after_a_restart_never_replaces_an_earlier_file() throws Exception {
        // After a clean stop the log is empty, so the next process numbers its segments from 1 again.
        WriteAheadLog first = openWal();
        first.append(request("{\"source\":\"a\",\"logtype\":\"info\",\"message\":\"before restart\"}")).get();
        flusher(first, step -> { }).flush();
        first.close();
        WriteAheadLog second = openWal();
        second.append(request("{\"source\":\"a\",\"logtype\":\"info\",\"message\":\"after restart\"}")).get();
        flusher(second, step -> { }).flush();

        assertThat(parquetFiles()).hasSize(2);
        assertThat(rows()).extracting(row -> row.split("\\|")[4]).containsExactly("after restart", "before restart");
    }

    @Test
    void records_of_several_requests_and_segments_are_flushed_together() throws Exception {
        WriteAheadLog wal = openWal();
        Flusher flusher = flusher(wal, step -> { });
        wal.append(request("{\"source\":\"a\",\"logtype\":\"info\",\"message\":\"1\"}")).get();
        wal.rotate().get();
        wal.append(request("{\"source\":\"b\",\"logtype\":\"info\",\"message\":\"2\"}")).get();
        Flusher.Result result = flusher.flush();
        assertThat(result.segments()).isEqualTo(2);
        assertThat(rows()).extracting(row -> row.split("\\|")[1]).containsExactlyInAnyOrder("a", "b");
    }

    private List<Path> parquetFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** Every stored row as {@code dt|source|logtype|timestamp|message|attributes|received_at}. */
    private List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet result = statement.executeQuery("SELECT dt, source, logtype,"
                    + " strftime(\"timestamp\", '%Y-%m-%dT%H:%M:%S.%gZ'), message, attributes::VARCHAR,"
                    + " strftime(received_at, '%Y-%m-%dT%H:%M:%SZ') FROM read_parquet('" + dataDir.resolve("logs")
                    + "/dt=*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})"
                    + " ORDER BY dt, message")) {
                while (result.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= 7; i++) {
                        row.append(i > 1 ? "|" : "").append(result.getString(i));
                    }
                    rows.add(row.toString().replace(".000Z", "Z"));
                }
            }
        }
        return rows;
    }
}
