package dev.quarry.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.duckdb.DuckDbParquetWriter;
import dev.quarry.local.ingest.Flusher;
import dev.quarry.local.table.TableState;
import dev.quarry.local.wal.WalCodec;
import dev.quarry.local.wal.WriteAheadLog;
import dev.quarry.record.InvalidRecordsException;
import dev.quarry.record.LogRecord;
import dev.quarry.record.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Builds a data directory through the real write path: record JSON through {@link RecordParser}, encoded by
 * {@link WalCodec} into the write-ahead log, flushed by {@link Flusher} with {@link DuckDbParquetWriter} into
 * {@code logs/dt=YYYY-MM-DD/*.parquet}. Each {@link #write} is one flush, so one new file per day it touches.
 */
public final class TestingDataset implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordParser parser = RecordParser.create();
    private final Path dataDir;
    private final WriteAheadLog wal;
    private final DuckDbParquetWriter writer;
    private final Flusher flusher;

    private final TableState table;

    private TestingDataset(Path dataDir, TableState table) throws IOException {
        this.dataDir = dataDir;
        this.table = table;
        this.wal = WriteAheadLog.open(dataDir.resolve("wal"));
        this.writer = new DuckDbParquetWriter();
        this.flusher = new Flusher(wal, dataDir, writer, table);
    }

    public static TestingDataset in(Path dataDir) throws IOException {
        return new TestingDataset(dataDir, TableState.open(dataDir));
    }

    /** Flushes into {@code table}, which a compactor under test shares. */
    public static TestingDataset in(Path dataDir, TableState table) throws IOException {
        return new TestingDataset(dataDir, table);
    }

    public TableState table() {
        return table;
    }

    public Path logsDirectory() {
        return dataDir.resolve("logs");
    }

    /** A record as a client sends it; received a minute after its timestamp, so it is filed under its own day. */
    public static ObjectNode record(String source, String logtype, String timestamp, String message) {
        ObjectNode record = JSON.createObjectNode();
        record.put("source", source);
        record.put("logtype", logtype);
        record.put("timestamp", timestamp);
        record.put("message", message);
        return record;
    }

    /** Writes the records in one flush. */
    public Flusher.Result write(List<ObjectNode> records) throws IOException {
        List<LogRecord> parsed = new ArrayList<>();
        for (ObjectNode record : records) {
            Instant receivedAt = Instant.parse(record.get("timestamp").asText()).plus(Duration.ofMinutes(1));
            try {
                parsed.addAll(parser.parse(JSON.writeValueAsBytes(record), receivedAt));
            } catch (InvalidRecordsException e) {
                throw new IllegalArgumentException("A test record breaks the record contract: " + e.getMessage(), e);
            }
        }
        append(WalCodec.encode(parsed));
        return flusher.flush();
    }

    /** Writes request bodies (JSON text, as POSTed) received at one instant, in one flush. */
    public Flusher.Result writeBodies(List<String> bodies, Instant receivedAt) throws IOException {
        for (String body : bodies) {
            try {
                append(WalCodec.encode(parser.parse(body.getBytes(StandardCharsets.UTF_8), receivedAt)));
            } catch (InvalidRecordsException e) {
                throw new IllegalArgumentException("A test body breaks the record contract: " + e.getMessage(), e);
            }
        }
        return flusher.flush();
    }

    private void append(byte[] line) throws IOException {
        try {
            wal.append(line).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        wal.close();
        writer.close();
    }
}
