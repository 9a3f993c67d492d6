package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's Logs panel in headless Chromium against the packaged local pipeline behind a reader key: a search
 * shows the records as {@code /search} gives them, "Older" pages on, a summary row opens the records behind it, the
 * text and attribute filters narrow them, "Live" shows a record posted after it was switched on, and hostile
 * messages stay text. A screenshot is left in {@code target/logs-panel.png} for review.
 */
class LogsPanelIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "logs-panel-it-reader-key";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final String RANGE = "from=" + TODAY.minusDays(6) + "&to=" + TODAY;
    /** Injected before the page's scripts: an alert is recorded, not shown. */
    private static final String RECORDED_ALERTS = "window.__alerts = []; window.alert = (m) => window.__alerts.push(m);";

    @TempDir
    static Path dataDir;

    private static TestingLocalServer server;
    private static ChromeDriver browser;
    private static String origin;

    @BeforeAll
    static void start() throws Exception {
        try (TestingDataset dataset = TestingDataset.in(dataDir)) {
            dataset.write(records());
        }
        server = TestingLocalServer.start(dataDir, Map.of("QUARRY_READ_KEY", KEY));
        origin = server.uri("").toString();
        browser = TestingBrowser.start(dataDir);
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDED_ALERTS));
        browser.get(origin + "/");
        await("the reader key form", () -> browser.findElement(By.id("key")).isDisplayed());
        browser.executeScript("sessionStorage.setItem('quarry.readKey', arguments[0])", KEY);
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

    /** Yesterday: 120 lines of web-1 (enough for three pages), errors in two hours, a hostile one of web-2. */
    private static List<ObjectNode> records() {
        List<ObjectNode> records = new ArrayList<>();
        String day = TODAY.minusDays(1).toString();
        for (int i = 0; i < 120; i++) {
            ObjectNode record = TestingDataset.record("web-1", "info",
                    day + "T0" + (i % 10) + ":" + String.format("%02d", i % 60) + ":00." + String.format("%03d", i)
                            + "Z", "GET /item/" + i);
            record.putObject("attributes").put("request_id", "r-" + i).put("route", "/item");
            records.add(record);
        }
        for (int i = 0; i < 3; i++) {
            records.add(TestingDataset.record("web-1", "error", day + "T1" + i + ":05:00Z", "disk full on /var"));
        }
        records.add(TestingDataset.record("web-2", "error", day + "T11:30:00Z", HOSTILE));
        records.add(TestingDataset.record("web-2", "info", day + "T11:31:00Z", "cache warm"));
        return records;
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(origin + pathAndQuery))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every row a search gives, page after page, as the panel shows them: time, source, logtype, message. */
    private static List<List<String>> searched(String parameters) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> answer = get("/search?" + parameters + "&limit=50"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            for (JsonNode row : body.get("rows")) {
                rows.add(List.of(row.get("timestamp").asText().replace("T", " ").replace("Z", ""),
                        row.get("source").asText(), row.get("logtype").asText(), row.get("message").asText()));
            }
            cursor = body.get("next").isNull() ? null : body.get("next").asText();
        } while (cursor != null);
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> shown() {
        return (List<List<String>>) browser.executeScript("return [...document.querySelectorAll('#logs tr.record')]"
                + ".map(tr => [...tr.cells].map(td => td.textContent));");
    }

    private static String status() {
        return browser.findElement(By.id("logs-status")).getText();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestingBrowser.await(browser, what, condition);
    }

    private static void awaitSearched() throws InterruptedException {
        await("the search", () -> !status().equals("Searching…")
                && !browser.findElement(By.id("generated-at")).getText().isEmpty());
    }

    /** All pages, by pressing "Older" while it is offered. */
    private static List<List<String>> allPages() throws InterruptedException {
        WebElement older = browser.findElement(By.id("logs-older"));
        while (older.isDisplayed()) {
            int before = shown().size();
            older.click();
            await("the next page", () -> shown().size() > before);
        }
        return shown();
    }

    private static boolean searchIsServed() throws Exception {
        HttpResponse<String> answer = get("/search?limit=1");
        return answer.statusCode() != 404;
    }

    @Test
    void a_search_pages_with_older_and_summary_rows_open_the_records_behind_them() throws Exception {
        assumeTrue(searchIsServed(), "GET /search is not served by this build yet");
        browser.get(origin + "/?" + RANGE + "#logs");
        awaitSearched();
        List<List<String>> all = searched(RANGE);
        assertThat(all).hasSize(125);
        assertThat(shown()).as("the first page").isEqualTo(all.subList(0, 50));
        assertThat(allPages()).isEqualTo(all);
        assertThat(browser.findElement(By.id("logs-older")).isDisplayed()).isFalse();

        // A row opens to its attributes.
        WebElement line = browser.findElements(By.cssSelector("#logs tr.record")).stream()
                .filter(tr -> tr.getText().contains("GET /item/7")).findFirst().orElseThrow();
        line.click();
        WebElement details = line.findElement(By.xpath("following-sibling::tr[1]"));
        assertThat(details.isDisplayed()).isTrue();
        assertThat(details.getText()).contains("request_id").contains("r-7").contains("route").contains("/item");

        // The hostile message is text.
        assertThat(all).anySatisfy(row -> assertThat(row.get(3)).isEqualTo(HOSTILE));
        assertThat(browser.findElements(By.cssSelector("#logs img, main img"))).isEmpty();

        // A source of the Sources table opens its records (the URL says so).
        browser.findElement(By.xpath("//section[@id='events-by-source']//a[text()='web-2']")).click();
        await("the source's records", () -> browser.getCurrentUrl().contains("source=web-2")
                && shown().stream().allMatch(row -> row.get(1).equals("web-2")));
        awaitSearched();
        assertThat(shown()).isEqualTo(searched(RANGE + "&source=web-2")).hasSize(2);

        // An hour of errors opens that hour's errors.
        browser.get(origin + "/?" + RANGE);
        awaitSearched();
        browser.findElement(By.cssSelector("#errors-by-hour summary")).click();
        WebElement hour = browser.findElement(By.cssSelector("#errors-by-hour a.to-logs"));
        String hourStart = hour.getText();
        hour.click();
        await("the hour's errors", () -> browser.getCurrentUrl().contains("logsFrom="));
        awaitSearched();
        String hourEnd = Instant.parse(hourStart).plusSeconds(3600).toString();
        assertThat(shown()).isEqualTo(searched("from=" + hourStart + "&to=" + hourEnd + "&logtype=error"))
                .isNotEmpty().allSatisfy(row -> assertThat(row.get(2)).isEqualTo("error"));

        // A top message opens the records with that message.
        browser.get(origin + "/?" + RANGE);
        awaitSearched();
        browser.findElement(By.xpath("//section[@id='top-messages']//a[.='disk full on /var']")).click();
        await("the message's records", () -> browser.getCurrentUrl().contains("q=disk"));
        awaitSearched();
        assertThat(shown()).isEqualTo(searched(RANGE + "&logtype=error&q=disk+full+on+%2Fvar")).hasSize(3);

        // The text box and an attribute filter.
        browser.get(origin + "/?" + RANGE);
        awaitSearched();
        browser.findElement(By.name("q")).sendKeys("ITEM/1");
        browser.findElement(By.id("logs-add-attribute")).click();
        browser.findElement(By.name("attr-key")).sendKeys("request_id");
        browser.findElement(By.name("attr-value")).sendKeys("r-12");
        browser.findElement(By.cssSelector("#logs-filters button[type=submit]")).click();
        await("the filtered URL", () -> browser.getCurrentUrl().contains("attr.request_id=r-12"));
        awaitSearched();
        assertThat(shown()).isEqualTo(searched(RANGE + "&q=ITEM%2F1&attr.request_id=r-12")).hasSize(1);
        browser.navigate().refresh();
        awaitSearched();
        assertThat(browser.findElement(By.name("q")).getAttribute("value")).as("state in the URL").isEqualTo("ITEM/1");
        assertThat(shown()).hasSize(1);
        assertThat(browser.executeScript("return window.__alerts.length")).isEqualTo(0L);
    }

    @Test
    void live_shows_a_record_posted_after_it_was_switched_on_as_text() throws Exception {
        browser.get(origin + "/?" + RANGE + "&source=live-1#logs");
        awaitSearched();
        WebElement live = browser.findElement(By.id("logs-live"));
        assertThat(live.isDisplayed()).isTrue();
        live.click();
        await("the live stream", () -> "true".equals(browser.findElement(By.id("logs"))
                .getDomAttribute("data-following")));
        assertThat(browser.getCurrentUrl()).contains("live=1");

        ObjectNode record = JSON.createObjectNode();
        record.put("source", "live-1").put("logtype", "error").put("message", HOSTILE);
        record.putObject("attributes").put("request_id", "live-r").put("note", "<b>bold</b>");
        HttpResponse<String> posted = server.postLogs("[" + record + ","
                + "{\"source\":\"live-2\",\"logtype\":\"info\",\"message\":\"another source\"}]");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        await("the live record", () -> !shown().isEmpty());
        List<String> row = shown().get(0);
        assertThat(row.subList(1, 4)).containsExactly("live-1", "error", HOSTILE);
        assertThat(row.get(0)).matches(TODAY + " \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(shown()).as("only the page's source").hasSize(1);
        WebElement line = browser.findElement(By.cssSelector("#logs tr.record"));
        line.click();
        assertThat(line.findElement(By.xpath("following-sibling::tr[1]")).getText()).contains("live-r")
                .contains("<b>bold</b>");
        assertThat(browser.findElements(By.cssSelector("#logs img, #logs b"))).isEmpty();
        assertThat(browser.executeScript("return window.__alerts.length")).isEqualTo(0L);

        Path screenshot = Path.of("target", "logs-panel.png");
        browser.executeScript("document.getElementById('logs').scrollIntoView()");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);

        // A reload keeps Live on (state in the URL); switching it off closes the stream.
        browser.navigate().refresh();
        await("the live stream again", () -> "true".equals(browser.findElement(By.id("logs"))
                .getDomAttribute("data-following")));
        browser.findElement(By.id("logs-live")).click();
        await("the end of the stream", () -> browser.findElement(By.id("logs")).getDomAttribute("data-following")
                == null);
        assertThat(browser.getCurrentUrl()).doesNotContain("live=1");
    }
}
