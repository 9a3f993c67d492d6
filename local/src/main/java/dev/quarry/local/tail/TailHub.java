package dev.quarry.local.tail;

import dev.quarry.record.LogRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open tails, and the one place the pipeline hands them acknowledged records: {@link #publish} runs on the
 * write-ahead log's writer thread once a group of appends is synced, before any of them is answered, so a tail sees
 * records in acknowledgment order and only once they are durable. It never waits: each client keeps at most
 * {@link TailBuffer#MAX_BEHIND} records and counts the rest as skipped.
 */
@ApplicationScoped
public class TailHub {
    private final List<TailClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private volatile boolean stopped;

    /** Records just made durable, in the order they were acknowledged. */
    public void publish(List<LogRecord> records) {
        for (TailClient client : clients) {
            client.offer(records);
        }
    }

    /** A place for one more client, or false when {@code max} are open (or the server is stopping). */
    public boolean reserve(int max) {
        while (true) {
            int now = reserved.get();
            if (stopped || now >= max) {
                return false;
            }
            if (reserved.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place that {@link #reserve} took; the client, if it was added, is removed. */
    public void release(TailClient client) {
        if (client == null || clients.remove(client)) {
            reserved.decrementAndGet();
        }
    }

    public void add(TailClient client) {
        clients.add(client);
    }

    public int size() {
        return clients.size();
    }

    /**
     * Ends every stream (each on its own event loop, after writing what it still holds) and takes no new ones; waits
     * at most {@code timeout} for them to be ended.
     */
    public void stop(long timeout, TimeUnit unit) throws InterruptedException {
        stopped = true;
        List<TailClient> open = List.copyOf(clients);
        CountDownLatch finished = new CountDownLatch(open.size());
        for (TailClient client : open) {
            client.context().runOnContext(v -> {
                try {
                    client.finish();
                } finally {
                    finished.countDown();
                }
            });
        }
        finished.await(timeout, unit);
    }
}
