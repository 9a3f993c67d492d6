package dev.quarry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * {@code tail_delivery_ms_p99}: a {@code GET /tail} client following one source while the bench's load runs, and a
 * client posting one record of that source every 10 ms; each record's delay is from the moment its acknowledgment
 * (the 200) is read to the moment its event is read from the stream (0 when the event came first: the server hands
 * records to the tails before it answers).
 */
final class TailProbe implements AutoCloseable {
    static final String SOURCE = "bench-tail-probe";
    private static final long INTERVAL_MS = 10;

    private final Socket tail;
    private final Thread reader;
    private final Thread poster;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentHashMap<Long, Long> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Long> delivered = new ConcurrentHashMap<>();
    private volatile Throwable failure;

    /** @param post posts one record's JSON body and returns once it is acknowledged (throws otherwise) */
    TailProbe(int port, PostOne post) throws IOException {
        tail = new Socket("127.0.0.1", port);
        tail.setTcpNoDelay(true);
        OutputStream out = tail.getOutputStream();
        out.write(("GET /tail?source=" + SOURCE + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8));
        String status = in.readLine();
        if (status == null || !status.startsWith("HTTP/1.1 200")) {
            throw new IOException("GET /tail answered " + status);
        }
        // Every later line: headers, chunk sizes, comments, event lines; only the data lines matter.
        reader = new Thread(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    int at = line.indexOf("\"message\":\"probe ");
                    if (line.startsWith("data: ") && at >= 0) {
                        long now = System.nanoTime();
                        int start = at + "\"message\":\"probe ".length();
                        delivered.put(Long.parseLong(line.substring(start, line.indexOf('"', start))), now);
                    }
                }
            } catch (IOException e) {
                if (running.get()) {
                    failure = e;
                }
            }
        }, "bench-tail-reader");
        reader.setDaemon(true);
        reader.start();
        poster = new Thread(() -> {
            try {
                for (long n = 0; running.get(); n++) {
                    post.post(("{\"source\":\"" + SOURCE + "\",\"logtype\":\"info\",\"message\":\"probe " + n + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
                    acknowledged.put(n, System.nanoTime());
                    Thread.sleep(INTERVAL_MS);
                }
            } catch (Exception e) {
                failure = e;
            }
        }, "bench-tail-poster");
        poster.setDaemon(true);
        poster.start();
    }

    interface PostOne {
        void post(byte[] body) throws Exception;
    }

    /** Stops posting, waits (at most 5 s) for the last events, and gives each record's delay in microseconds. */
    Histogram stop() throws Exception {
        running.set(false);
        poster.join(10_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (delivered.size() < acknowledged.size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (failure != null) {
            throw new IllegalStateException("the tail probe failed", failure);
        }
        if (delivered.size() < acknowledged.size()) {
            throw new IllegalStateException(acknowledged.size() - delivered.size() + " of " + acknowledged.size()
                    + " acknowledged probe records never reached the tail");
        }
        Histogram delays = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        acknowledged.forEach((n, ack) -> delays.recordValue(
                Math.min(Math.max(0, TimeUnit.NANOSECONDS.toMicros(delivered.get(n) - ack)), delays.getHighestTrackableValue())));
        return delays;
    }

    int records() {
        return acknowledged.size();
    }

    @Override
    public void close() throws IOException {
        running.set(false);
        tail.close();
    }
}
