package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            int thisRound = round;
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                clients.submit(() -> post(server, thisRound, id, running, acknowledged));
            }
            Thread.sleep(1_500 + 700L * round);
            server.kill();
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSizeGreaterThan(1_000);

        try (TestingLocalServer restarted = TestingLocalServer.start(dataDir)) {
            // Recovery flushes the log before the server reports ready.
            List<TestingStoredLogs.Stored> stored = await().atMost(Duration.ofSeconds(10))
                    .until(() -> TestingStoredLogs.read(dataDir), rows -> rows.stream()
                            .map(TestingStoredLogs.Stored::message).collect(Collectors.toSet())
                            .containsAll(acknowledged));
            Map<String, Integer> copies = new HashMap<>();
            stored.forEach(row -> copies.merge(row.message(), 1, Integer::sum));
            assertThat(copies.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
            assertThat(restarted.log()).contains("Recover");
        }
    }

    private static void post(TestingLocalServer server, int round, int client, AtomicBoolean running,
            Set<String> acknowledged) {
        for (int request = 0; running.get(); request++) {
            int n = request;
            List<String> ids = new ArrayList<>();
            String body = IntStream.range(0, RECORDS_PER_REQUEST).mapToObj(i -> {
                String id = "r" + round + "-c" + client + "-q" + n + "-i" + i;
                ids.add(id);
                return "{\"source\":\"crash\",\"logtype\":\"info\",\"message\":\"" + id + "\"}";
            }).collect(Collectors.joining(",", "[", "]"));
            try {
                HttpResponse<String> response = server.postLogs(body);
                if (response.statusCode() == 200) {
                    acknowledged.addAll(ids);
                }
            } catch (Exception killed) {
                return;
            }
        }
    }
}
