package dev.quarry.local.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writing process per data directory. Two servers appending to one write-ahead log interleave their lines,
 * every flush then fails, and the next start cuts acknowledged records as torn; so the first process holds an
 * exclusive lock on its lock file ({@code .quarry.lock}) for its whole life (the operating system releases it when the process
 * ends, even on kill -9) and writes its PID there so that a second one can say who holds it.
 */
public final class DataDirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The directory is locked by another process (or by this one, through another lock). */
    public static final class HeldException extends IOException {
        public HeldException(String message) {
            super(message);
        }
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws HeldException when another process holds the lock
     * @throws IOException when the directory cannot be written (read-only, full, no permission)
     */
    public static DataDirectoryLock acquire(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new HeldException("The data directory " + dataDir + " is in use by another Quarry server (PID "
                    + holder + "); run one server per data directory");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(true);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new DataDirectoryLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Released by the operating system at exit anyway; closing early lets a test start a second life. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
