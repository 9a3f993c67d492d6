package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Clients posting numbered records ({@code r<round>-c<client>-q<request>-i<record>} as the message) to one server
 * until stopped or until a request fails (the server was killed): what was sent, and what was acknowledged.
 */
final class TestingLoad {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;

    private TestingLoad(int clients) {
        this.clients = Executors.newFixedThreadPool(clients);
    }

    /**
     * @param pause between one client's requests
     * @param sent counts each record before its request is sent
     * @param acknowledged takes the messages of each request answered 200
     */
    static TestingLoad start(TestingLocalServer server, int round, int clients, int recordsPerRequest, String source,
            Duration pause, AtomicLong sent, Set<String> acknowledged) {
        TestingLoad load = new TestingLoad(clients);
        for (int client = 0; client < clients; client++) {
            int id = client;
            load.clients.submit(() -> load.post(server, round, id, recordsPerRequest, source, pause, sent,
                    acknowledged));
        }
        return load;
    }

    private void post(TestingLocalServer server, int round, int client, int recordsPerRequest, String source,
            Duration pause, AtomicLong sent, Set<String> acknowledged) {
        for (int request = 0; running.get(); request++) {
            int n = request;
            List<String> ids = new ArrayList<>();
            String body = IntStream.range(0, recordsPerRequest).mapToObj(i -> {
                String id = "r" + round + "-c" + client + "-q" + n + "-i" + i;
                ids.add(id);
                return "{\"source\":\"" + source + "\",\"logtype\":\"info\",\"message\":\"" + id + "\"}";
            }).collect(Collectors.joining(",", "[", "]"));
            sent.addAndGet(ids.size());
            try {
                HttpResponse<String> response = server.postLogs(body);
                if (response.statusCode() == 200) {
                    acknowledged.addAll(ids);
                }
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            } catch (Exception killed) {
                return;
            }
        }
    }

    /** Stops the clients and waits for them (at most 60 s). */
    void stop() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    /** How many times each message is stored. */
    static Map<String, Integer> copies(List<TestingStoredLogs.Stored> stored) {
        Map<String, Integer> copies = new HashMap<>();
        stored.forEach(row -> copies.merge(row.message(), 1, Integer::sum));
        return copies;
    }
}
