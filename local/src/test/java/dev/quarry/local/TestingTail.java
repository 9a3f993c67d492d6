package dev.quarry.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code GET /tail} client as a test needs one: it reads the Server-Sent Events stream (comments included) line by
 * line, only when asked to, so that a test can also leave it unread (a stalled client).
 */
final class TestingTail implements AutoCloseable {
    /** One event, or a comment (type {@code ":"}, data the comment's text); {@link #END} when the stream ended. */
    record Event(String type, String data) {
    }

    static final Event END = new Event("end", "");

    private final HttpResponse<Stream<String>> response;
    private final Iterator<String> lines;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private Thread reader;

    private TestingTail(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.lines = response.body().iterator();
    }

    /** Connects; returns once the answer's headers (and, for a 200, the first comment) are here. */
    static TestingTail open(URI uri, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new TestingTail(client.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    int status() {
        return response.statusCode();
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    /** Reads in the background from now on. */
    TestingTail reading() {
        reader = new Thread(() -> {
            try {
                for (Event event = parse(); event != END; event = parse()) {
                    events.add(event);
                }
            } catch (UncheckedIOException e) {
                events.add(new Event("error", e.getCause().toString()));
                return;
            }
            events.add(END);
        }, "testing-tail");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** The next event or comment, reading it here unless {@link #reading} was called. */
    Event next(Duration timeout) throws InterruptedException {
        if (reader == null) {
            return parse();
        }
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("No event within " + timeout);
        }
        return event;
    }

    /** The next event that is not a comment. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        Event event = next(timeout);
        while (event.type().equals(":")) {
            event = next(timeout);
        }
        return event;
    }

    private Event parse() {
        String type = null;
        StringBuilder data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (type != null || data != null) {
                    return new Event(type == null ? "message" : type, data == null ? "" : data.toString());
                }
            } else if (line.startsWith(":")) {
                if (type == null && data == null) {
                    return new Event(":", line.substring(1).trim());
                }
            } else if (line.startsWith("event: ")) {
                type = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(line.substring("data: ".length()));
            } else {
                throw new AssertionError("Not a line of an event stream: " + line);
            }
        }
        return END;
    }

    @Override
    public void close() {
        response.body().close();
    }
}
