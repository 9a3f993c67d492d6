package dev.quarry.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Read-only and full file systems for fault tests. Root ignores permissions, so as root these are small tmpfs
 * mounts (which need CAP_SYS_ADMIN, as in the build container); otherwise a read-only directory is a 0555 one,
 * and a full disk needs the mount (the test is skipped, saying why, where neither is possible).
 */
public final class TestingFileSystems {
    private TestingFileSystems() {
    }

    /** Undone on close. */
    public interface Mount extends AutoCloseable {
        @Override
        void close() throws Exception;
    }

    public static Mount readOnly(Path directory) throws Exception {
        Files.createDirectories(directory);
        if (!isRoot()) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
            return () -> Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        mount(directory, "ro,size=1m");
        return () -> run("umount", directory.toString());
    }

    /** A 1 MiB file system filled to the last byte. */
    public static Mount full(Path directory) throws Exception {
        Mount mount = small(directory, "1m");
        try {
            fill(directory);
        } catch (RuntimeException | IOException e) {
            mount.close();
            throw e;
        }
        return mount;
    }

    /** An empty file system of {@code size} (tmpfs syntax: 1m, 16m). */
    public static Mount small(Path directory, String size) throws Exception {
        Files.createDirectories(directory);
        mount(directory, "size=" + size);
        return () -> run("umount", directory.toString());
    }

    /** Fills the file system holding {@code directory}: {@code filler} takes every free byte; delete it to free them. */
    public static void fill(Path directory) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(directory.resolve("filler"))) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // no space left: as wanted
        }
        try (var out = Files.newOutputStream(directory.resolve("filler"), java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 64 * 1024; i++) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // the last bytes
        }
    }

    private static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes()).trim();
        id.waitFor();
        return uid.equals("0");
    }

    private static void mount(Path directory, String options) throws Exception {
        int status = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.toString());
        assumeTrue(status == 0, "mounting a tmpfs at " + directory + " needs root with CAP_SYS_ADMIN");
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
