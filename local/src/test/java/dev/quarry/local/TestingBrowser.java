package dev.quarry.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** Debian's headless Chromium through its chromedriver, with the console and the network log recorded. */
final class TestingBrowser {
    /** Selenium's own warnings (no CDP bindings for this Chromium: none are needed) would only be noise. */
    private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

    private TestingBrowser() {
    }

    /** @param profileParent where the browser's throw-away profile goes */
    static ChromeDriver start(Path profileParent) throws Exception {
        SELENIUM.setLevel(Level.OFF);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1300",
                "--user-data-dir=" + Files.createTempDirectory(profileParent, "chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Polls {@code condition} for at most 30 s; a timeout says what the page shows. */
    static void await(ChromeDriver browser, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + "; the page says: "
                        + browser.findElement(By.tagName("body")).getText());
            }
            Thread.sleep(100);
        }
    }
}
