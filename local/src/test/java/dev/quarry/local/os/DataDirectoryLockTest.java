package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {
    @TempDir
    Path dataDir;

    @Test
    void the_holder_writes_its_pid_and_a_second_lock_is_refused_naming_it() throws Exception {
        String pid = String.valueOf(ProcessHandle.current().pid());
        try (DataDirectoryLock first = DataDirectoryLock.acquire(dataDir)) {
            assertThat(Files.readString(dataDir.resolve(DataDirectoryLock.FILE_NAME)).trim()).isEqualTo(pid);
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dataDir))
                    .isInstanceOf(DataDirectoryLock.HeldException.class)
                    .hasMessageContaining(dataDir.toString()).hasMessageContaining("PID " + pid);
        }
        // Released: the next process (here, the next lock) takes it.
        DataDirectoryLock.acquire(dataDir).close();
    }

    @Test
    void a_missing_directory_is_created() throws Exception {
        Path nested = dataDir.resolve("a/b");
        DataDirectoryLock.acquire(nested).close();
        assertThat(nested.resolve(DataDirectoryLock.FILE_NAME)).exists();
    }
}
