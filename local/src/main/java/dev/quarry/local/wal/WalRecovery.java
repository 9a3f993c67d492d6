package dev.quarry.local.wal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.quarry.local.os.Durability;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Makes the segments left by a crash readable: each segment is cut after its last complete request, that is
 * after the last end line ({@code {"end":N}}) that follows N well-formed record lines. A request is only ever
 * incomplete when the process died during its write, before it was acknowledged, so cutting it loses nothing
 * that was acknowledged, and no part of a request is ever stored without the rest.
 */
public final class WalRecovery {
    private static final Logger LOG = Logger.getLogger(WalRecovery.class);
    private static final JsonFactory JSON = new JsonFactory();

    private WalRecovery() {
    }

    /** The outcome: segments kept, requests and bytes in them, bytes cut. */
    public record Report(int segments, long requests, long bytes, long bytesCut) {
    }

    public static Report recover(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return new Report(0, 0, 0, 0);
        }
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(p -> Segment.sequenceOf(p) >= 0).sorted().forEach(segments::add);
        }
        int kept = 0;
        long requests = 0;
        long bytes = 0;
        long cut = 0;
        for (Path segment : segments) {
            byte[] content = Files.readAllBytes(segment);
            long valid = 0;
            int start = 0;
            long lines = 0;
            long recordsSinceEnd = 0;
            for (int i = 0; i < content.length; i++) {
                if (content[i] == '\n') {
                    if (!isCompleteJson(content, start, i - start)) {
                        break;
                    }
                    if (startsWith(content, start, WalCodec.END_PREFIX)) {
                        if (endCount(content, start, i - start) != recordsSinceEnd) {
                            break;
                        }
                        lines++;
                        recordsSinceEnd = 0;
                        valid = i + 1;
                    } else {
                        recordsSinceEnd++;
                    }
                    start = i + 1;
                }
            }
            if (valid < content.length) {
                cut += content.length - valid;
                LOG.warnf("Cutting %d byte(s) of an unacknowledged, torn request from %s", content.length - valid,
                        segment.getFileName());
                try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                    channel.truncate(valid);
                    channel.force(true);
                }
            }
            if (valid == 0) {
                Files.delete(segment);
                continue;
            }
            kept++;
            requests += lines;
            bytes += valid;
        }
        if (cut > 0 || segments.size() != kept) {
            Durability.syncDirectory(directory);
        }
        return new Report(kept, requests, bytes, cut);
    }

    private static boolean startsWith(byte[] content, int offset, byte[] prefix) {
        if (content.length - offset < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (content[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static long endCount(byte[] content, int offset, int length) {
        try (JsonParser parser = JSON.createParser(content, offset, length)) {
            parser.nextToken();
            parser.nextToken();
            return parser.nextToken() == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    static boolean isCompleteJson(byte[] content, int offset, int length) {
        if (length == 0) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(content, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
