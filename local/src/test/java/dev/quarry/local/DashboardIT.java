package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.local.http.DashboardRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in Debian's headless Chromium against the packaged local pipeline, over a known dataset behind a
 * reader key: each panel shows the summary API's rows, a filter in the URL changes them, log text stays text,
 * nothing is requested from another origin, the console stays clean and axe-core finds no serious violation.
 * (DashboardScreenshotIT draws realistic records and leaves the picture.)
 */
class DashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "dashboard-it-reader-key";
    private static final String HOSTILE = "<img src=x onerror=\"window.__pwned=1\"> disk </td> & \"quotes\"";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final String RANGE = "from=" + TODAY.minusDays(6) + "&to=" + TODAY;

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

    /** Three days, two sources, four logtypes, one hostile message. */
    private static List<ObjectNode> records() {
        List<ObjectNode> records = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            String date = TODAY.minusDays(day).toString();
            for (int i = 0; i < 4 * day; i++) {
                records.add(TestingDataset.record("web-1", "info", date + "T0" + (i % 10) + ":15:00Z", "GET /"));
            }
            for (int i = 0; i < day + 1; i++) {
                records.add(TestingDataset.record("web-1", "error", date + "T1" + i + ":05:00Z", "disk full"));
            }
            records.add(TestingDataset.record("web-2", "error", date + "T08:30:00Z", HOSTILE));
            records.add(TestingDataset.record("web-2", "security.alert", date + "T09:00:00Z", "login failed"));
            records.add(TestingDataset.record("web-2", "debug", date + "T09:30:00Z", "cache warm"));
        }
        return records;
    }

    private static JsonNode api(String query, String parameters) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(origin + "/summary/" + query + "?" + parameters))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<List<String>> apiRows(String query, String parameters, String... fields) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : api(query, parameters).get("rows")) {
            List<String> cells = new ArrayList<>();
            for (String field : fields) {
                cells.add(row.get(field).asText());
            }
            rows.add(cells);
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> shownRows(String panel, int columns) {
        List<List<String>> rows = (List<List<String>>) browser.executeScript(
                "return [...document.querySelectorAll('#' + arguments[0] + ' table.numbers tbody tr')]"
                        + ".map(tr => [...tr.cells].slice(0, arguments[1]).map(td => td.textContent));",
                panel, columns);
        return rows;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestingBrowser.await(browser, what, condition);
    }

    private static void open(String query) throws InterruptedException {
        browser.get(origin + "/?" + query);
        awaitLoaded();
    }

    private static void awaitLoaded() throws InterruptedException {
        await("the summaries", () -> !browser.findElement(By.id("generated-at")).getText().isEmpty()
                && !"Loading…".equals(browser.findElement(By.id("status")).getText()));
    }

    @Test
    void the_dashboard_shows_the_summaries_as_the_api_gives_them() throws Exception {
        browser.get(origin + "/?" + RANGE);
        await("the reader key form", () -> browser.findElement(By.id("key")).isDisplayed());
        List<LogEntry> beforeKey = browser.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(beforeKey).allSatisfy(entry -> assertThat(entry.getMessage()).contains("401"));
        browser.findElement(By.name("key")).sendKeys(KEY + "-wrong");
        browser.findElement(By.cssSelector("#key button")).click();
        await("the refusal", () -> browser.findElement(By.id("status")).getText().contains("refused"));
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);
        browser.manage().logs().get(LogType.BROWSER).getAll().forEach(entry ->
                assertThat(entry.getMessage()).contains("status of 401"));
        browser.findElement(By.name("key")).sendKeys(KEY);
        browser.findElement(By.cssSelector("#key button")).click();
        awaitLoaded();
        assertThat(browser.executeScript("return sessionStorage.getItem('quarry.readKey')")).isEqualTo(KEY);
        assertThat(browser.findElement(By.id("key")).isDisplayed()).isFalse();

        assertThat(shownRows("volume-by-day", 2)).isEqualTo(apiRows("volume-by-day", RANGE, "dt", "events"))
                .hasSize(3);
        assertThat(shownRows("events-by-logtype", 3))
                .isEqualTo(apiRows("events-by-logtype", RANGE, "dt", "logtype", "events")).hasSize(12);
        assertThat(shownRows("errors-by-hour", 2)).isEqualTo(apiRows("errors-by-hour", RANGE, "hour", "events"))
                .isNotEmpty();
        assertThat(shownRows("events-by-source", 3))
                .isEqualTo(apiRows("events-by-source", RANGE, "source", "events", "errors")).hasSize(2);
        assertThat(shownRows("top-messages", 2)).isEqualTo(apiRows("top-messages", RANGE + "&limit=10",
                "events", "message")).contains(List.of("3", HOSTILE));
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(browser.executeScript("return window.__pwned === undefined")).isEqualTo(true);
        assertThat(browser.findElement(By.id("generated-at")).getText())
                .matches(TODAY + "T\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(browser.findElements(By.cssSelector(".chart canvas"))).hasSize(3);

        assertThat(axeViolations()).as("axe-core serious or critical violations").isEmpty();

        // A filter in the URL: the page reads it, shows it in the form, and the numbers follow.
        String filtered = RANGE + "&source=web-2";
        open(filtered + "&limit=5");
        assertThat(browser.findElement(By.name("source")).getAttribute("value")).isEqualTo("web-2");
        List<List<String>> web2 = shownRows("volume-by-day", 2);
        assertThat(web2).isEqualTo(apiRows("volume-by-day", filtered, "dt", "events"))
                .isNotEqualTo(apiRows("volume-by-day", RANGE, "dt", "events"));
        assertThat(shownRows("events-by-source", 3))
                .isEqualTo(apiRows("events-by-source", filtered, "source", "events", "errors")).hasSize(1);
        assertThat(shownRows("top-messages", 2)).isEqualTo(apiRows("top-messages", filtered + "&limit=5", "events", "message"));

        // Using the form writes the state back into the URL.
        browser.findElement(By.cssSelector("[data-days='30']")).click();
        await("the 30-day URL", () -> browser.getCurrentUrl().contains("from=" + TODAY.minusDays(29)));
        awaitLoaded();
        assertThat(browser.getCurrentUrl()).contains("source=web-2").contains("limit=5");

        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("console messages").isEmpty();

        // A range without records says how to send one; a refused range shows the problem's detail as text.
        open("from=2025-01-01&to=2025-01-07");
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("No records between 2025-01-01 and "
                + "2025-01-07. Send a first one: curl ").contains(origin + "/logs");
        assertThat(shownRows("volume-by-day", 2)).isEmpty();
        open("from=2025-01-07&to=2025-01-01");
        assertThat(browser.findElement(By.cssSelector("#volume-by-day .message")).getText())
                .startsWith("The range or a filter is not accepted: ").contains("from");
        assertThat(browser.findElements(By.cssSelector(".chart canvas"))).isEmpty();
        browser.manage().logs().get(LogType.BROWSER).getAll().forEach(entry ->
                assertThat(entry.getMessage()).contains("status of 400"));

        Set<String> requested = requestedUrls();
        assertThat(requested).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin + "/"));
        assertThat(requested).contains(origin + "/vendor/uPlot.iife.min.js", origin + "/dashboard.js");
    }

    /**
     * Injected before the page's own scripts: a timer of 10 s or more (the page's refresh; its other timers are
     * shorter) is recorded with its delay instead of started, so the test sees when the page would refresh and
     * fires the refresh itself rather than waiting out max-age.
     */
    private static final String HELD_REFRESHES = """
            (() => {
              const start = window.setTimeout.bind(window);
              window.__refreshes = [];
              window.setTimeout = (run, delay, ...args) => {
                if (delay >= 10000) { window.__refreshes.push({ delay, run }); return 0; }
                return start(run, delay, ...args);
              };
            })();
            """;

    @Test
    void filtered_to_a_logtype_every_panel_answers_and_errors_per_hour_gets_only_the_filter_error() throws Exception {
        browser.get(origin + "/");
        await("the reader key form", () -> browser.findElement(By.id("key")).isDisplayed());
        browser.executeScript("sessionStorage.setItem('quarry.readKey', arguments[0])", KEY);
        browser.manage().logs().get(LogType.BROWSER).getAll();
        try {
            filteredToALogtype();
        } finally {
            // The other tests start from a tab that holds no key.
            browser.executeScript("sessionStorage.clear()");
        }
    }

    private void filteredToALogtype() throws Exception {
        open(RANGE + "&logtype=error");
        assertThat(browser.findElement(By.cssSelector("#errors-by-hour .message")).isDisplayed()).isFalse();
        assertThat(shownRows("errors-by-hour", 2)).isEqualTo(apiRows("errors-by-hour", RANGE + "&logtype=error",
                "hour", "events")).isEqualTo(apiRows("errors-by-hour", RANGE, "hour", "events")).isNotEmpty();
        assertThat(shownRows("events-by-logtype", 3)).extracting(row -> row.get(1)).containsOnly("error");
        assertThat(browser.findElement(By.cssSelector("#errors-by-hour .note")).isDisplayed()).isFalse();

        open(RANGE + "&logtype=info");
        assertThat(browser.findElement(By.cssSelector("#errors-by-hour .message")).isDisplayed()).isFalse();
        assertThat(shownRows("errors-by-hour", 2)).isEqualTo(apiRows("errors-by-hour", RANGE, "hour", "events"));
        assertThat(browser.findElement(By.cssSelector("#errors-by-hour .note")).getText())
                .isEqualTo("Counts logtype error only: the logtype filter 'info' does not apply to this panel.");
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("console messages (no 400)").isEmpty();
    }

    @Test
    void a_range_with_today_refreshes_after_max_age_asking_if_none_match_and_keeps_the_304s_rows() throws Exception {
        Map<String, Object> injected = browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", HELD_REFRESHES));
        try {
            browser.get(origin + "/");
            // Once the first load has been refused (it forgets a refused key), the key is kept for the tab.
            await("the reader key form", () -> browser.findElement(By.id("key")).isDisplayed());
            browser.executeScript("sessionStorage.setItem('quarry.readKey', arguments[0])", KEY);
            open(RANGE);
            long maxAge = Long.MAX_VALUE;
            for (String query : List.of("volume-by-day", "events-by-logtype", "errors-by-hour", "events-by-source",
                    "top-messages")) {
                maxAge = Math.min(maxAge, maxAge(apiResponse("/summary/" + query + "?" + RANGE)));
            }
            assertThat(maxAge).as("an open range is cached briefly").isBetween(1L, 60L);
            assertThat(heldRefreshDelays()).as("one refresh, no sooner than max-age (and at least 10 s)")
                    .containsExactly(Math.max(maxAge, 10) * 1000);
            List<List<String>> shown = shownRows("volume-by-day", 2);
            browser.manage().logs().get(LogType.PERFORMANCE).getAll();

            browser.executeScript("document.getElementById('generated-at').textContent = '';"
                    + "window.__refreshes.shift().run();");
            awaitLoaded();

            Map<String, String[]> exchanges = summaryExchanges();
            assertThat(exchanges).as("the refresh asks for every panel again").hasSize(5);
            for (String[] exchange : exchanges.values()) {
                HttpResponse<String> now = apiResponse(exchange[0].substring(origin.length()));
                assertThat(exchange[1]).as("If-None-Match of " + exchange[0])
                        .isEqualTo(now.headers().firstValue("ETag").orElseThrow());
                assertThat(exchange[2]).as("status of " + exchange[0]).isEqualTo("304");
            }
            assertThat(shownRows("volume-by-day", 2)).isEqualTo(shown)
                    .isEqualTo(apiRows("volume-by-day", RANGE, "dt", "events"));
            assertThat(heldRefreshDelays()).as("and the next refresh is planned").hasSize(1);

            // A range that ended before today is final: nothing is planned.
            open("from=" + TODAY.minusDays(6) + "&to=" + TODAY.minusDays(2));
            assertThat(shownRows("volume-by-day", 2)).hasSize(2);
            assertThat(heldRefreshDelays()).isEmpty();
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", injected.get("identifier")));
            browser.executeScript("sessionStorage.clear()");
            browser.manage().logs().get(LogType.BROWSER).getAll();
            browser.manage().logs().get(LogType.PERFORMANCE).getAll();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Long> heldRefreshDelays() {
        return (List<Long>) browser.executeScript("return window.__refreshes.map(r => r.delay)");
    }

    private static HttpResponse<String> apiResponse(String pathAndQuery) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(origin + pathAndQuery))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static long maxAge(HttpResponse<String> response) {
        String cacheControl = response.headers().firstValue("Cache-Control").orElseThrow();
        Matcher m = Pattern.compile("(?:^|,)\\s*max-age=(\\d+)").matcher(cacheControl);
        assertThat(m.find()).as(cacheControl).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The summary requests in the performance log since it was last read: URL, If-None-Match sent, status. */
    private static Map<String, String[]> summaryExchanges() throws Exception {
        Map<String, String[]> exchanges = new LinkedHashMap<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            JsonNode message = JSON.readTree(entry.getMessage()).get("message");
            JsonNode params = message.get("params");
            switch (message.get("method").asText()) {
                case "Network.requestWillBeSent" -> {
                    String url = params.get("request").get("url").asText();
                    if (url.startsWith(origin + "/summary/")) {
                        exchanges.put(params.get("requestId").asText(), new String[] {url,
                                params.get("request").get("headers").path("If-None-Match").asText(null), null});
                    }
                }
                case "Network.responseReceived" -> {
                    String[] exchange = exchanges.get(params.get("requestId").asText());
                    if (exchange != null) {
                        exchange[2] = params.get("response").get("status").asText();
                    }
                }
                default -> { }
            }
        }
        return exchanges;
    }

    @Test
    void the_page_and_its_assets_weigh_at_most_350_kb() throws Exception {
        long total = 0;
        for (String path : new HashSet<>(DashboardRoute.FILES.values().stream().map(f -> "/" + f[0]).toList())) {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(origin + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            total += response.body().length;
        }
        assertThat(total).as("bytes of the page and its assets").isLessThanOrEqualTo(350 * 1024);
    }

    private static List<String> axeViolations() throws Exception {
        String axe = Files.readString(TestingLocalServer.repository().resolve("node_modules/axe-core/axe.min.js"));
        browser.executeScript(axe);
        Object result = browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                        + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        + ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))));");
        @SuppressWarnings("unchecked")
        List<String> violations = (List<String>) result;
        return violations;
    }

    private static Set<String> requestedUrls() throws Exception {
        Set<String> urls = new HashSet<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            JsonNode message = JSON.readTree(entry.getMessage()).get("message");
            if ("Network.requestWillBeSent".equals(message.get("method").asText())) {
                String url = message.get("params").get("request").get("url").asText();
                // chrome:// (the browser's blank tab) and data: (inline images of form controls) never leave
                if (!url.startsWith("chrome://") && !url.startsWith("data:")) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }
}
