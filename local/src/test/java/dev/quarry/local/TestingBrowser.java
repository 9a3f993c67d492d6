package dev.quarry.local;

import java.io.File;
import java.io.IOException;
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

/**
 * Headless Chromium and its driver for the dashboard's browser tests: found on PATH (or at {@code CHROME_BIN} and
 * {@code CHROMEDRIVER}), and missing ones named by their Debian package.
 */
final class TestingBrowser {
    /** Selenium's own warnings (no CDP bindings for this Chromium: none are needed) would only be noise. */
    private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

    private TestingBrowser() {
    }

    /** A headless browser with its console and network logs kept, its profile under {@code scratch}. */
    static ChromeDriver start(Path scratch) throws IOException {
        SELENIUM.setLevel(Level.OFF);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("CHROME_BIN", "chromium", new String[] {"chromium", "chromium-browser"}).toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1300",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        File driver = executable("CHROMEDRIVER", "chromium-driver", new String[] {"chromedriver"}).toFile();
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The program named by {@code variable}, else the first of {@code names} on PATH. */
    static Path executable(String variable, String debianPackage, String[] names) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            Path path = Path.of(given);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("Cannot start the dashboard's browser test, because " + variable + "="
                        + given + " is not an executable file");
            }
            return path;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Cannot start the dashboard's browser test, because " + String.join(" or ", names)
                + " is not on PATH: install Debian's package " + debianPackage + " (apt-get install " + debianPackage
                + "), or set " + variable + " to the program");
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
