package dev.quarry.local.wal;

import dev.quarry.local.os.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The local pipeline's durability: an append-only log of request lines in numbered segment files. One writer
 * thread takes every append waiting at that moment, writes them together and syncs once (group commit), then
 * completes their futures: a request is acknowledged only after its bytes are on disk. A segment is closed
 * by {@link #rotate()} and deleted by its owner once its records are in Parquet.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WriteAheadLog.class);
    private static final int MAX_GROUP = 4096;

    private final Path directory;
    private final BlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean open = true;
    private volatile IOException broken;
    /** The last write failed (a full or read-only disk): readiness is down until a write succeeds again. */
    private volatile boolean lastWriteFailed;

    // Owned by the writer thread.
    private FileChannel channel;
    private long currentSequence;
    private long currentBytes;
    private long nextSequence;
    private final List<Segment> closed = new ArrayList<>();

    private final java.util.concurrent.atomic.AtomicLong appendCount = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong syncCount = new java.util.concurrent.atomic.AtomicLong();

    // Read by the flusher.
    private volatile long currentSize;
    private volatile long currentFirstAppendNanos;

    private sealed interface Command permits Append, Rotate, Stop {
    }

    private record Append(byte[] line, CompletableFuture<Void> done) implements Command {
    }

    private record Rotate(CompletableFuture<List<Segment>> done) implements Command {
    }

    private record Stop(CompletableFuture<Void> done) implements Command {
    }

    /**
     * Opens the log in {@code directory}. Segments found there (after {@link WalRecovery}) are treated as closed
     * and unflushed: the first {@link #rotate()} returns them.
     */
    public static WriteAheadLog open(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Segment> existing = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                long sequence = Segment.sequenceOf(file);
                if (sequence >= 0) {
                    existing.add(new Segment(sequence, file, Files.size(file)));
                }
            }
        }
        existing.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return new WriteAheadLog(directory, existing);
    }

    private WriteAheadLog(Path directory, List<Segment> existing) {
        this.directory = directory;
        this.closed.addAll(existing);
        this.nextSequence = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).sequence() + 1;
        this.writer = new Thread(this::run, "quarry-wal-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Appends one encoded request line; the future completes once it is synced to disk, or fails. */
    public CompletableFuture<Void> append(byte[] line) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!open) {
            done.completeExceptionally(new IOException("Cannot append, because the write-ahead log is closed"));
        } else if (broken != null) {
            done.completeExceptionally(new IOException("Cannot append, because the write-ahead log failed: "
                    + broken.getMessage(), broken));
        } else {
            queue.add(new Append(line, done));
        }
        return done;
    }

    /** Closes the current segment (if it holds anything) and returns every closed segment not yet released. */
    public CompletableFuture<List<Segment>> rotate() {
        if (!writer.isAlive()) {
            return CompletableFuture.completedFuture(closedSnapshot());
        }
        CompletableFuture<List<Segment>> done = new CompletableFuture<>();
        queue.add(new Rotate(done));
        return done;
    }

    /** Forgets segments whose records are now in Parquet (their files are deleted by the caller). */
    public synchronized void release(List<Segment> segments) {
        closed.removeAll(segments);
    }

    private synchronized List<Segment> closedSnapshot() {
        return List.copyOf(closed);
    }

    private synchronized void addClosed(Segment segment) {
        closed.add(segment);
    }

    public synchronized boolean hasClosedSegments() {
        return !closed.isEmpty();
    }

    /** Bytes in the open segment. */
    public long currentBytes() {
        return currentSize;
    }

    /** {@link System#nanoTime()} of the open segment's first append, or 0 when it is empty. */
    public long currentFirstAppendNanos() {
        return currentFirstAppendNanos;
    }

    /** Appends made durable so far, and the syncs that made them so (fewer syncs than appends: group commit). */
    public record Stats(long appends, long syncs) {
    }

    public Stats stats() {
        return new Stats(appendCount.get(), syncCount.get());
    }

    /** Open, repairable, and the last write succeeded. */
    public boolean isHealthy() {
        return open && broken == null && !lastWriteFailed;
    }

    /** Writes everything already appended, then stops; later appends fail. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Stop(done));
        try {
            done.get(30, TimeUnit.SECONDS);
            writer.join(5_000);
        } catch (Exception e) {
            LOG.warnf("The write-ahead log writer did not stop cleanly: %s", e.toString());
        }
    }

    private void run() {
        List<Command> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_GROUP - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<Append> appends = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Command command = batch.get(i);
                if (command instanceof Append append) {
                    appends.add(append);
                } else {
                    writeAndSync(appends);
                    appends.clear();
                    if (command instanceof Rotate rotate) {
                        doRotate(rotate);
                    } else if (command instanceof Stop stop) {
                        doRotate(new Rotate(new CompletableFuture<>()));
                        // Appends that raced with close() are refused, not left hanging.
                        List<Command> late = new ArrayList<>(batch.subList(i + 1, batch.size()));
                        queue.drainTo(late);
                        for (Command command2 : late) {
                            Command lateCommand = command2;
                            if (lateCommand instanceof Append a) {
                                a.done().completeExceptionally(new IOException("The write-ahead log is closed"));
                            } else if (lateCommand instanceof Rotate r) {
                                r.done().complete(closedSnapshot());
                            }
                        }
                        stop.done().complete(null);
                        return;
                    }
                }
            }
            writeAndSync(appends);
            batch.clear();
        }
    }

    private void writeAndSync(List<Append> appends) {
        if (appends.isEmpty()) {
            return;
        }
        if (broken != null) {
            fail(appends, broken);
            return;
        }
        long before = currentBytes;
        try {
            if (channel == null) {
                openSegment();
            }
            ByteBuffer[] buffers = new ByteBuffer[appends.size()];
            long total = 0;
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(appends.get(i).line());
                total += buffers[i].remaining();
            }
            long written = 0;
            while (written < total) {
                written += channel.write(buffers);
            }
            channel.force(false);
            syncCount.incrementAndGet();
            appendCount.addAndGet(appends.size());
            if (before == 0) {
                currentFirstAppendNanos = System.nanoTime();
            }
            currentBytes = before + total;
            currentSize = currentBytes;
            lastWriteFailed = false;
        } catch (IOException e) {
            lastWriteFailed = true;
            LOG.errorf("Cannot make %d request(s) durable, because writing the write-ahead log failed: %s",
                    appends.size(), e.toString());
            recoverFromWriteFailure(before, e);
            fail(appends, e);
            return;
        }
        for (Append append : appends) {
            append.done().complete(null);
        }
    }

    /** Cuts the segment back to its last synced length so an unacknowledged partial line is not replayed. */
    private void recoverFromWriteFailure(long goodLength, IOException cause) {
        if (channel == null) {
            return;
        }
        try {
            channel.truncate(goodLength);
            channel.position(goodLength);
            channel.force(true);
        } catch (IOException e) {
            broken = cause;
            LOG.errorf("The write-ahead log cannot be repaired and refuses all writes until restart: %s", e.toString());
        }
    }

    private static void fail(List<Append> appends, IOException e) {
        for (Append append : appends) {
            append.done().completeExceptionally(e);
        }
    }

    private void openSegment() throws IOException {
        long sequence = nextSequence++;
        Path path = directory.resolve(Segment.fileName(sequence));
        // Sequence numbers only grow, so the name is new; CREATE (not CREATE_NEW) lets a test put /dev/full there.
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        currentSequence = sequence;
        currentBytes = 0;
        currentSize = 0;
        currentFirstAppendNanos = 0;
        Durability.syncDirectory(directory);
    }

    private void doRotate(Rotate rotate) {
        if (channel != null && currentBytes > 0) {
            long sequence = currentSequence;
            long bytes = currentBytes;
            closeChannel();
            addClosed(new Segment(sequence, directory.resolve(Segment.fileName(sequence)), bytes));
        }
        rotate.done().complete(closedSnapshot());
    }

    private void closeChannel() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warnf("Closing a write-ahead-log segment failed: %s", e.toString());
        }
        Path path = directory.resolve(Segment.fileName(currentSequence));
        channel = null;
        currentSize = 0;
        currentFirstAppendNanos = 0;
        if (currentBytes == 0) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warnf("Cannot delete the empty segment %s: %s", path, e.toString());
            }
        }
        currentBytes = 0;
    }
}
