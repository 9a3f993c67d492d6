package dev.quarry.local.tail;

import dev.quarry.record.LogRecord;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One {@code GET /tail} stream. Records reach it from the write-ahead log's writer thread through its
 * {@link TailBuffer}; its connection's event loop writes them out as long as the connection takes them (Vert.x's
 * write queue not full), so a slow reader fills its own bounded buffer and nothing else.
 */
public final class TailClient {
    /** Entries written per turn of the event loop: one write, and the loop goes on to other connections. */
    private static final int BATCH = 512;

    private final TailFilter filter;
    private final Context context;
    private final HttpServerResponse response;
    private final TailBuffer buffer;
    private volatile boolean ended;

    /** A stream whose reader may fall at most {@link TailBuffer#MAX_BEHIND} records behind. */
    public TailClient(TailFilter filter, Context context, HttpServerResponse response) {
        this.filter = filter;
        this.context = context;
        this.response = response;
        this.buffer = new TailBuffer(TailBuffer.MAX_BEHIND);
    }

    /** On the writer thread, right after the records were synced: keeps those that match. */
    void offer(List<LogRecord> records) {
        if (ended) {
            return;
        }
        boolean wake = false;
        for (LogRecord record : records) {
            if (filter.matches(record)) {
                wake |= buffer.offer(record);
            }
        }
        if (wake) {
            context.runOnContext(v -> writePending());
        }
    }

    /** On the event loop: writes what is buffered until the connection's write queue is full. */
    private void writePending() {
        while (!ended) {
            if (response.writeQueueFull()) {
                response.drainHandler(v -> writePending());
                return;
            }
            List<Object> entries = buffer.take(BATCH);
            if (entries.isEmpty()) {
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 256);
            for (Object entry : entries) {
                TailEvents.write(entry, out);
            }
            response.write(Buffer.buffer(out.toByteArray()));
        }
    }

    /** On the event loop. */
    public void keepAlive() {
        if (!ended && !response.writeQueueFull()) {
            response.write(Buffer.buffer(TailEvents.KEEP_ALIVE));
        }
    }

    /**
     * On the event loop, at shutdown: what is buffered is written (whether the client reads it or not, the server is
     * about to close the connection), then the stream ends with its last chunk, so the client sees a clean end.
     */
    void finish() {
        if (ended) {
            return;
        }
        ended = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<Object> entries = buffer.take(BATCH); !entries.isEmpty(); entries = buffer.take(BATCH)) {
            for (Object entry : entries) {
                TailEvents.write(entry, out);
            }
        }
        out.writeBytes(TailEvents.STOPPING);
        if (!response.ended() && !response.closed()) {
            response.end(Buffer.buffer(out.toByteArray()));
        }
    }

    /** The connection closed: nothing more is kept for it. */
    public void closed() {
        ended = true;
        buffer.take(Integer.MAX_VALUE);
    }

    Context context() {
        return context;
    }
}
