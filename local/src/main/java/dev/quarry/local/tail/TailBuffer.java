package dev.quarry.local.tail;

import dev.quarry.record.LogRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One tail client's records not yet written to it, in acknowledgment order, bounded: a client more than
 * {@code maxBehind} records behind is not given the records beyond that; it is told how many it missed (a
 * {@link Lagged} entry, where they would have been) and goes on with the next ones. Offered by the write-ahead log's
 * writer thread, taken by the client's event loop; neither waits for the other beyond this object's lock.
 */
final class TailBuffer {
    /** The contract's bound: a client more than this many records behind is told it lagged. */
    static final int MAX_BEHIND = 10_000;

    /** Records this client was not given because it was too far behind, in place of them. */
    record Lagged(long skipped) {
    }

    private final int maxBehind;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private int records;
    private long skipped;
    private boolean scheduled;

    TailBuffer(int maxBehind) {
        this.maxBehind = maxBehind;
    }

    /**
     * Adds a record, or counts it as skipped when the buffer is full.
     *
     * @return true when the consumer has to be woken to take it (it was not already due to)
     */
    synchronized boolean offer(LogRecord record) {
        if (records >= maxBehind) {
            skipped++;
            return false;
        }
        if (skipped > 0) {
            pending.add(new Lagged(skipped));
            skipped = 0;
        }
        pending.add(record);
        records++;
        return wake();
    }

    private boolean wake() {
        if (scheduled) {
            return false;
        }
        scheduled = true;
        return true;
    }

    /**
     * Takes up to {@code max} entries ({@link LogRecord} or {@link Lagged}), oldest first; a skip not yet reported
     * follows the last record before it. An empty answer means the consumer is done until it is woken again.
     */
    synchronized List<Object> take(int max) {
        List<Object> taken = new ArrayList<>(Math.min(max, pending.size() + 1));
        while (taken.size() < max && !pending.isEmpty()) {
            Object next = pending.poll();
            if (next instanceof LogRecord) {
                records--;
            }
            taken.add(next);
        }
        if (pending.isEmpty() && skipped > 0 && taken.size() < max) {
            taken.add(new Lagged(skipped));
            skipped = 0;
        }
        if (taken.isEmpty()) {
            scheduled = false;
        }
        return taken;
    }

    /** Records held now (a skip is not one). */
    synchronized int size() {
        return records;
    }
}
