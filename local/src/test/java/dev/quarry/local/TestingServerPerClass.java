package dev.quarry.local;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One packaged server for all the tests of a class, on a data directory of its own, and what it stored. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TestingServerPerClass {
    /** design.md: records are queryable within 10 s of acknowledgment. */
    static final Duration QUERYABLE_WITHIN = Duration.ofSeconds(10);

    @TempDir
    static Path temporary;

    TestingLocalServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestingLocalServer.start(temporary.resolve("data"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    List<TestingStoredLogs.Stored> storedWithMessage(String message) throws Exception {
        return TestingStoredLogs.read(server.dataDir()).stream().filter(r -> r.message().equals(message)).toList();
    }

    /** The records stored with this message, once there are exactly {@code count} of them. */
    List<TestingStoredLogs.Stored> awaitStored(String message, int count) {
        return await().atMost(QUERYABLE_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> storedWithMessage(message), rows -> rows.size() == count);
    }
}
