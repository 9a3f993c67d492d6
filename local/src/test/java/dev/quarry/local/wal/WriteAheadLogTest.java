package dev.quarry.local.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path directory;

    private static byte[] line(String text) {
        return ("{\"records\":[\"" + text + "\"]}\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void an_acknowledged_append_is_in_the_segment_file() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(directory)) {
            wal.append(line("a")).get(5, TimeUnit.SECONDS);
            wal.append(line("b")).get(5, TimeUnit.SECONDS);
            Path segment = directory.resolve(Segment.fileName(1));
            assertThat(Files.readString(segment)).isEqualTo("{\"records\":[\"a\"]}\n{\"records\":[\"b\"]}\n");
            assertThat(wal.currentBytes()).isEqualTo(Files.size(segment));
            assertThat(wal.currentFirstAppendNanos()).isNotZero();
        }
    }

    @Test
    void concurrent_appends_share_syncs() throws Exception {
        int requests = 2_000;
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try (WriteAheadLog wal = WriteAheadLog.open(directory)) {
            List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
            List<java.util.concurrent.Future<CompletableFuture<Void>>> submitted = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int n = i;
                submitted.add(clients.submit(() -> wal.append(line("r" + n))));
            }
            for (var future : submitted) {
                acknowledged.add(future.get());
            }
            CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            WriteAheadLog.Stats stats = wal.stats();
            assertThat(stats.appends()).isEqualTo(requests);
            assertThat(stats.syncs()).isLessThan(requests);
            assertThat(Files.readAllLines(directory.resolve(Segment.fileName(1)))).hasSize(requests);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void rotate_closes_the_current_segment_and_returns_every_unreleased_one() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(directory)) {
            assertThat(wal.rotate().get()).isEmpty();
            wal.append(line("a")).get();
            List<Segment> first = wal.rotate().get();
            assertThat(first).extracting(Segment::sequence).containsExactly(1L);
            wal.append(line("b")).get();
            List<Segment> both = wal.rotate().get();
            assertThat(both).extracting(Segment::sequence).containsExactly(1L, 2L);
            assertThat(both.get(1).bytes()).isEqualTo(line("b").length);
            wal.release(first);
            assertThat(wal.rotate().get()).extracting(Segment::sequence).containsExactly(2L);
            assertThat(wal.currentBytes()).isZero();
        }
    }

    @Test
    void segments_found_on_open_are_closed_and_numbering_continues_after_them() throws Exception {
        Files.write(directory.resolve(Segment.fileName(7)), line("old"));
        try (WriteAheadLog wal = WriteAheadLog.open(directory)) {
            assertThat(wal.hasClosedSegments()).isTrue();
            wal.append(line("new")).get();
            assertThat(directory.resolve(Segment.fileName(8))).exists();
            assertThat(wal.rotate().get()).extracting(Segment::sequence).containsExactly(7L, 8L);
        }
    }

    @Test
    void close_writes_what_was_appended_and_keeps_it_for_the_next_flush() throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(directory);
        CompletableFuture<Void> pending = wal.append(line("last"));
        wal.close();
        pending.get(5, TimeUnit.SECONDS);
        assertThat(wal.rotate().get()).extracting(Segment::sequence).containsExactly(1L);
        assertThatThrownBy(() -> wal.append(line("late")).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void a_full_disk_fails_the_append_and_acknowledges_nothing() throws Exception {
        // /dev/full accepts the open and refuses every write with ENOSPC, as a full file system does.
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "/dev/full is needed");
        try (dev.quarry.testing.TestingLogs logs = dev.quarry.testing.TestingLogs.capture(WriteAheadLog.class);
                WriteAheadLog wal = WriteAheadLog.open(directory)) {
            Files.createSymbolicLink(directory.resolve(Segment.fileName(1)), full);
            CompletableFuture<Void> append = wal.append(line("lost"));
            assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IOException.class).hasMessageContaining("No space left");
            assertThat(wal.stats().appends()).isZero();
            // /dev/full cannot be cut back either, so the log refuses every later write.
            assertThat(logs.messages(java.util.logging.Level.SEVERE)).satisfiesExactly(
                    first -> assertThat(first).startsWith("Cannot make 1 request(s) durable").contains("No space left"),
                    second -> assertThat(second).startsWith("The write-ahead log cannot be repaired"));
            assertThat(wal.isHealthy()).isFalse();
        } finally {
            Files.deleteIfExists(directory.resolve(Segment.fileName(1)));
        }
    }

    /** Issue 13 finding 2: readiness stayed up while every append failed. */
    @Test
    void health_is_down_while_appends_fail_and_up_again_once_one_succeeds() throws Exception {
        Path disk = directory.resolve("disk");
        try (dev.quarry.local.TestingFileSystems.Mount mount = dev.quarry.local.TestingFileSystems.full(disk);
                dev.quarry.testing.TestingLogs logs = dev.quarry.testing.TestingLogs.capture(WriteAheadLog.class);
                WriteAheadLog wal = WriteAheadLog.open(disk.resolve("wal"))) {
            assertThat(wal.isHealthy()).isTrue();
            assertThatThrownBy(() -> wal.append(line("refused")).get(5, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("No space left");
            assertThat(wal.isHealthy()).isFalse();

            Files.delete(disk.resolve("filler"));
            wal.append(line("stored")).get(5, TimeUnit.SECONDS);
            assertThat(wal.isHealthy()).isTrue();
            assertThat(logs.messages(java.util.logging.Level.SEVERE)).singleElement().asString()
                    .contains("No space left");
        }
    }
}
