package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.TestingDataset;
import dev.quarry.local.metrics.QuarryMetrics;
import dev.quarry.local.table.Compactor;
import dev.quarry.local.table.DataLayout;
import dev.quarry.local.table.DeferredDeletion;
import dev.quarry.local.table.LiveFiles;
import dev.quarry.local.table.TableState;
import dev.quarry.search.BoundSearch;
import dev.quarry.summary.CachePolicy;
import dev.quarry.summary.SummaryResponse;
import dev.quarry.summary.SummaryService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A search answers the same with the index as with the full scan: random messages (ASCII words and digits,
 * punctuation, non-ASCII letters whose lower case is special: KELVIN SIGN, dotted capital I, sharp s, final sigma,
 * emoji), random terms (pieces of stored messages at random offsets, so spanning token boundaries, with leading or
 * trailing separators, shorter than three characters; whole tokens; case changed; absent) and random attribute
 * filters, through the real writer (flush) and merger (compaction), and with a day whose manifest names no index.
 */
class SearchIndexAgreesWithScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate FIRST = LocalDate.parse("2026-11-20");
    private static final int DAYS = 3;
    private static final Clock CLOCK = Clock.fixed(FIRST.plusDays(10).atStartOfDay(ZoneOffset.UTC).toInstant(),
            ZoneOffset.UTC);
    private static final String[] WORDS = {"order", "Order", "ORDER", "timed", "out", "payment", "declined", "a", "I",
        "ok", "id", "x1", "42", "12345", "007", "straße", "STRASSE", "\u212aelvin", "kelvin", "\u0130stanbul",
        "istanbul", "ΣΟΦΟΣ", "σοφος", "😀", "naïve", "NAÏVE", "élan", "user_id", "null"};
    private static final String[] SEPARATORS = {" ", " ", " ", ": ", ", ", ".", "-", "_", "/", "'", "\"", "%", "=",
        "(", ")", "[", "]", "\t", "\n", "::", " - ", "#", "@", "~", "\\", "`", "^", "{", "}"};
    private static final String[] KEYS = {"request_id", "user", "K", "k", "trace id"};

    @TempDir
    Path dataDir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final List<Map.Entry<String, String>> pairs = new ArrayList<>();
    private int pruned;

    @AfterEach
    void close() throws Exception {
        scheduler.shutdownNow();
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 20261203})
    void the_index_never_drops_a_file_that_holds_a_match(long seed) throws Exception {
        Random random = new Random(seed);
        TableState table = TableState.open(dataDir);
        TestingDataset dataset = TestingDataset.in(dataDir, table);
        open.add(dataset);
        DuckDbQueryEngine engine = new DuckDbQueryEngine(dataDir.resolve("logs"));
        open.add(engine);
        SummaryService service = new SummaryService(engine, engine, CLOCK, CachePolicy.keepingEverything());

        for (int flush = 0; flush < 5; flush++) {
            flush(dataset, random);
        }
        compare(engine, service, random, "after flushes");

        DuckDbParquetMerger merger = new DuckDbParquetMerger();
        open.add(merger);
        QuarryMetrics metrics = new QuarryMetrics(new SimpleMeterRegistry());
        DeferredDeletion deletion = new DeferredDeletion(scheduler, Duration.ZERO);
        quietly(() -> new Compactor(table, merger, deletion, 128L * 1024 * 1024, Duration.ZERO, metrics).compactDue());
        assertThat(LiveFiles.forDaysWithRollups(dataDir, FIRST, FIRST.plusDays(DAYS - 1)))
                .as("merged files with an index").anyMatch(file -> file.file().getFileName().toString()
                        .startsWith("quarry-merged") && file.rollups().contains(SearchIndex.KIND));
        compare(engine, service, random, "after compaction");

        // A day whose manifest names no index (written before the index existed), then more flushes.
        Path manifest = DataLayout.manifest(DataLayout.of(dataDir).day(FIRST.plusDays(random.nextInt(DAYS))));
        if (Files.exists(manifest)) {
            ObjectNode node = (ObjectNode) JSON.readTree(manifest.toFile());
            node.remove("rollups");
            Files.write(manifest, JSON.writeValueAsBytes(node));
        }
        dataset.close();
        open.remove(dataset);
        TableState reopened = TableState.open(dataDir);
        TestingDataset again = TestingDataset.in(dataDir, reopened);
        open.add(again);
        for (int flush = 0; flush < 2; flush++) {
            flush(again, random);
        }
        compare(engine, service, random, "with a day without an index");
        quietly(() -> new Compactor(reopened, merger, deletion, 128L * 1024 * 1024, Duration.ZERO, metrics)
                .compactDue());
        compare(engine, service, random, "after compaction of files with and without an index");
        assertThat(pruned).as("searches that skipped a file").isPositive();
    }

    private void flush(TestingDataset dataset, Random random) throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        int count = 1 + random.nextInt(60);
        for (int i = 0; i < count; i++) {
            LocalDate day = FIRST.plusDays(random.nextInt(DAYS));
            String message = message(random);
            ObjectNode record = TestingDataset.record("api", "info",
                    day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400)).toString(),
                    message);
            messages.add(message);
            if (random.nextBoolean()) {
                ObjectNode attributes = record.putObject("attributes");
                for (int a = random.nextInt(3); a >= 0; a--) {
                    String key = KEYS[random.nextInt(KEYS.length)];
                    String value = random.nextInt(3) == 0 ? WORDS[random.nextInt(WORDS.length)]
                            : Long.toHexString(random.nextLong());
                    attributes.put(key, value);
                    pairs.add(Map.entry(key, value));
                }
            }
            records.add(record);
        }
        dataset.write(records);
    }

    private static String message(Random random) {
        StringBuilder message = new StringBuilder();
        if (random.nextInt(4) == 0) {
            message.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
        }
        for (int piece = random.nextInt(7); piece >= 0; piece--) {
            message.append(switch (random.nextInt(4)) {
                case 0 -> Integer.toString(random.nextInt(100_000));
                case 1 -> Long.toHexString(random.nextLong()).substring(0, 1 + random.nextInt(8));
                default -> WORDS[random.nextInt(WORDS.length)];
            });
            if (piece > 0 || random.nextInt(4) == 0) {
                message.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
            }
        }
        return message.toString();
    }

    private String term(Random random) {
        String message = messages.get(random.nextInt(messages.size()));
        String term = switch (random.nextInt(6)) {
            case 0, 1 -> {
                // A piece at a random offset: spans token boundaries, may start or end on a separator.
                int start = random.nextInt(message.length());
                yield message.substring(start, Math.min(message.length(), start + 1 + random.nextInt(12)));
            }
            case 2 -> {
                String[] tokens = message.split("[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+");
                yield tokens.length == 0 ? message : tokens[random.nextInt(tokens.length)];
            }
            case 3 -> SEPARATORS[random.nextInt(SEPARATORS.length)] + WORDS[random.nextInt(WORDS.length)]
                    + SEPARATORS[random.nextInt(SEPARATORS.length)];
            case 4 -> " " + random.nextInt(100_000) + " ";
            default -> message(random);
        };
        if (random.nextInt(4) == 0) {
            term = random.nextBoolean() ? term.toUpperCase(Locale.ROOT) : term.toLowerCase(Locale.ROOT);
        }
        return term;
    }

    private void compare(DuckDbQueryEngine engine, SummaryService service, Random random, String stage)
            throws Exception {
        int total = LiveFiles.forDays(dataDir, FIRST, FIRST.plusDays(DAYS - 1)).size();
        for (int i = 0; i < 60; i++) {
            String q = random.nextInt(5) == 0 ? "" : term(random);
            Map<String, String> attributes = new LinkedHashMap<>();
            if (random.nextInt(3) == 0 && !pairs.isEmpty()) {
                Map.Entry<String, String> pair = pairs.get(random.nextInt(pairs.size()));
                attributes.put(pair.getKey(), random.nextInt(4) == 0 ? pair.getValue().toUpperCase(Locale.ROOT)
                        : pair.getValue());
            }
            StringBuilder query = new StringBuilder("from=" + FIRST + "&to=" + FIRST.plusDays(DAYS - 1)
                    + "&limit=1000");
            if (!q.isEmpty()) {
                query.append("&q=").append(URLEncoder.encode(q, StandardCharsets.UTF_8));
            }
            attributes.forEach((key, value) -> query.append("&attr.").append(URLEncoder.encode(key,
                    StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            engine.useSearchIndex(false);
            SummaryResponse scan = service.answer("GET", "/search", query.toString(), Map.of());
            engine.useSearchIndex(true);
            SummaryResponse indexed = service.answer("GET", "/search", query.toString(), Map.of());
            assertThat(indexed.status()).as("%s: %s", stage, query).isEqualTo(scan.status());
            assertThat(indexed.bodyText()).as("%s: %s", stage, query).isEqualTo(scan.bodyText());
            if (scan.status() == 200 && engine.filesFor(new BoundSearch("", List.of(), FIRST,
                    FIRST.plusDays(DAYS - 1), false, q, attributes)).size() < total) {
                pruned++;
            }
        }
    }

    /** Merges log one INFO line each: kept out of the build's output. */
    private static void quietly(Runnable merges) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Compactor.class.getName());
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.WARNING);
        try {
            merges.run();
        } finally {
            log.setLevel(level);
        }
    }
}
