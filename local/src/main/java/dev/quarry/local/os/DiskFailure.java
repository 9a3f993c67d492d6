package dev.quarry.local.os;

import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

/** How a failure of the machine (a full or read-only disk, a missing permission) is told to an operator. */
public final class DiskFailure {
    private DiskFailure() {
    }

    /**
     * One line for an operator: the file-system reason ("No space left on device", "Read-only file system") and
     * the file, without a stack trace; the failures met here are the machine's, not the program's.
     */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof FileSystemException fs) {
                return (fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName()) + ": " + fs.getFile();
            }
        }
        Throwable shown = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause()
                : failure;
        String message = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message);
    }
}
