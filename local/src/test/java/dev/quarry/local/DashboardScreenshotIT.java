package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard over a week of realistic records (six services, mostly info, some warnings and errors from a few
 * recurring messages, a daily rhythm, and three errors sent today with a 2023 timestamp), as a user sees it: each
 * logtype in its colour, the legend with each logtype's count, the errors footnote. Leaves the picture the docs show
 * in {@code target/dashboard.png}.
 */
class DashboardScreenshotIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final String RANGE = "from=" + TODAY.minusDays(6) + "&to=" + TODAY;
    private static final List<String> SOURCES = List.of("web-1", "web-2", "api-gateway", "checkout-service",
            "auth-service", "batch-worker");
    private static final List<String> INFO = List.of("GET /api/orders 200", "GET / 200", "POST /checkout 201",
            "cache hit for /static/app.js", "user session started", "GET /api/users/42 200");
    private static final List<String> WARN = List.of("slow query: 1.8 s on orders_by_customer",
            "retrying payment provider call (attempt 2)", "connection pool 90% used");
    private static final List<String> ERROR = List.of("payment provider timeout after 30 s",
            "database connection refused", "NullPointerException in CartService.total",
            "upstream 502 from inventory-service");
    private static final List<String> DEBUG = List.of("feature flag new-checkout evaluated", "token refreshed");

    @TempDir
    static Path dataDir;

    private static TestingLocalServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            dataset.write(records(now));
            // Sent today with an old timestamp: filed under today, in no hour of the range (the footnote's case).
            List<String> late = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                late.add(JSON.writeValueAsString(TestingDataset.record("batch-worker", "error",
                        "2023-09-08T21:43:3" + i + ".035Z", "replayed job failed: ledger export")));
            }
            dataset.writeBodies(late, now);
        }
        server = TestingLocalServer.start(dataDir);
        browser = TestingBrowser.start(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Seven days up to now, busier in working hours, a few hundred to a thousand records a day. */
    private static List<ObjectNode> records(Instant now) {
        SplittableRandom random = new SplittableRandom(23);
        List<ObjectNode> records = new ArrayList<>();
        for (int day = 6; day >= 0; day--) {
            int count = 300 + random.nextInt(700);
            for (int i = 0; i < count; i++) {
                int hour = random.nextInt(10) < 7 ? 8 + random.nextInt(10) : random.nextInt(24);
                Instant at = TODAY.minusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant()
                        .plus(Duration.ofHours(hour)).plusSeconds(random.nextInt(3600));
                if (at.isAfter(now.minusSeconds(120))) {
                    continue;
                }
                int draw = random.nextInt(100);
                String logtype = draw < 82 ? "info" : draw < 88 ? "warn" : draw < 97 ? "error" : "debug";
                List<String> messages = switch (logtype) {
                    case "info" -> INFO;
                    case "warn" -> WARN;
                    case "error" -> ERROR;
                    default -> DEBUG;
                };
                // Errors cluster: the first message (a flaky provider) is the most common, as in real logs.
                String message = logtype.equals("error") && random.nextBoolean() ? ERROR.get(0)
                        : messages.get(random.nextInt(messages.size()));
                records.add(TestingDataset.record(SOURCES.get(random.nextInt(SOURCES.size())), logtype,
                        at.toString(), message));
            }
        }
        return records;
    }

    private static JsonNode api(String query) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.uri("/summary/" + query + "?" + RANGE).toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void each_logtype_has_its_colour_and_its_count_in_the_legend_and_the_late_errors_a_footnote() throws Exception {
        browser.get(server.uri("/?" + RANGE).toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (browser.findElement(By.id("generated-at")).getText().isEmpty()
                || browser.findElements(By.cssSelector(".chart canvas")).size() < 3) {
            assertThat(System.nanoTime()).as("the summaries load").isLessThan(deadline);
            Thread.sleep(100);
        }

        Map<String, Long> totals = new LinkedHashMap<>();
        for (JsonNode row : api("events-by-logtype").get("rows")) {
            totals.merge(row.get("logtype").asText(), row.get("events").asLong(), Long::sum);
        }
        @SuppressWarnings("unchecked")
        List<List<String>> legend = (List<List<String>>) browser.executeScript(
                "return [...document.querySelectorAll('#events-by-logtype .u-legend tr.u-series')].slice(1).map(tr =>"
                        + " [tr.querySelector('.u-label').textContent, tr.querySelector('.u-value').textContent,"
                        + " getComputedStyle(tr.querySelector('.u-marker')).backgroundColor]);");
        Map<String, String> colours = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (List<String> entry : legend) {
            colours.put(entry.get(0), entry.get(2));
            counts.put(entry.get(0), Long.parseLong(entry.get(1)));
        }
        assertThat(counts).isEqualTo(totals).containsOnlyKeys("debug", "error", "info", "warn");
        assertThat(colours).containsEntry("error", "rgb(197, 48, 48)").containsEntry("warn", "rgb(221, 138, 11)")
                .containsEntry("info", "rgb(74, 127, 181)").containsEntry("debug", "rgb(160, 174, 192)");

        long hourly = 0;
        for (JsonNode row : api("errors-by-hour").get("rows")) {
            hourly += row.get("events").asLong();
        }
        assertThat(totals.get("error") - hourly).isEqualTo(3);
        assertThat(browser.findElement(By.cssSelector("#errors-by-hour .footnote")).getText())
                .startsWith("3 of the errors filed under these days have timestamps outside them");
        assertThat(browser.findElement(By.cssSelector("#top-messages tbody tr pre")).getText())
                .isEqualTo("payment provider timeout after 30 s");

        Path screenshot = Path.of("target", "dashboard.png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
    }
}
