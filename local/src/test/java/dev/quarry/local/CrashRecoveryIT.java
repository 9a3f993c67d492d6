package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during load loses no acknowledged record: clients post numbered records until the server is killed,
 * the server is started again on the same data, and every record that was acknowledged is found in Parquet,
 * exactly once.
 */
class CrashRecoveryIT {
    private static final int CLIENTS = 8;
    private static final int RECORDS_PER_REQUEST = 50;

    @TempDir
    Path temporary;

    @Test
    void kill_9_under_load_loses_no_acknowledged_record() throws Exception {
        Path dataDir = temporary.resolve("data");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        // Short flushes so kills land before, during and after flushes.
        Map<String, String> env = TestingLocalServer.env("QUARRY_FLUSH_MAX_AGE", "300ms");
        for (int round = 0; round < 3; round++) {
            TestingLocalServer server = TestingLocalServer.start(dataDir, env);
            TestingLoad load = TestingLoad.start(server, round, CLIENTS, RECORDS_PER_REQUEST, "crash", Duration.ZERO,
                    new AtomicLong(), acknowledged);
            Thread.sleep(1_500 + 700L * round);
            server.kill();
            load.stop();
        }
        assertThat(acknowledged).hasSizeGreaterThan(1_000);

        try (TestingLocalServer restarted = TestingLocalServer.start(dataDir)) {
            // Recovery flushes the log before the server reports ready.
            List<TestingStoredLogs.Stored> stored = await().atMost(Duration.ofSeconds(10))
                    .until(() -> TestingStoredLogs.read(dataDir), rows -> rows.stream()
                            .map(TestingStoredLogs.Stored::message).collect(Collectors.toSet())
                            .containsAll(acknowledged));
            assertThat(TestingLoad.copies(stored).entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
            assertThat(restarted.log()).contains("Recover");
        }
    }
}
