package dev.quarry.local.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {
    private static final String LOCK = ".quarry.lock";
    @TempDir
    Path dataDir;

    @Test
    void the_holder_writes_its_pid_and_a_second_lock_is_refused_naming_it() throws Exception {
        String pid = String.valueOf(ProcessHandle.current().pid());
        try (DataDirectoryLock first = DataDirectoryLock.acquire(dataDir, dataDir.resolve(LOCK))) {
            assertThat(Files.readString(dataDir.resolve(LOCK)).trim()).isEqualTo(pid);
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dataDir, dataDir.resolve(LOCK)))
                    .isInstanceOf(DataDirectoryLock.HeldException.class)
                    .hasMessageContaining(dataDir.toString()).hasMessageContaining("PID " + pid);
        }
        // Released: the next process (here, the next lock) takes it.
        DataDirectoryLock.acquire(dataDir, dataDir.resolve(LOCK)).close();
    }

    @Test
    void a_missing_directory_is_created() throws Exception {
        Path nested = dataDir.resolve("a/b");
        DataDirectoryLock.acquire(nested, nested.resolve(LOCK)).close();
        assertThat(nested.resolve(LOCK)).exists();
    }
}
