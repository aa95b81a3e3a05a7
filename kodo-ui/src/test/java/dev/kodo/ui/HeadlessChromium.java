package dev.kodo.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;

/**
 * Debian's headless Chromium driven by its chromedriver (docs/ui.md#tests): no Selenium Manager, no
 * connection to anything but loopback, a fresh profile, a desktop-sized window. The one way the
 * browser tests start a browser.
 */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** Starts a browser; the caller quits it. */
  public static ChromeDriver start() throws IOException {
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-default-browser-check",
        "--disable-domain-reliability",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
        "--user-data-dir=" + Files.createTempDirectory("kodo-chromium"),
        "--window-size=1280,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /**
   * Waits until an element has left the page (htmx swapped it out, or a new page replaced it).
   * Selenium's {@code ExpectedConditions.stalenessOf} expects a stale-element error, but Chromium
   * sometimes reports a node detached mid-swap as an "unknown error: Node with given id does not
   * belong to the document" instead (a CI run failed on it): both mean the element is gone.
   */
  public static ExpectedCondition<Boolean> gone(WebElement element) {
    return driver -> {
      try {
        element.isEnabled();
        return false;
      } catch (WebDriverException e) {
        if (detached(e)) return true;
        throw e;
      }
    };
  }

  /** Whether an error only says the element left the page meanwhile (see {@link #gone}). */
  public static boolean detached(WebDriverException e) {
    return e instanceof StaleElementReferenceException
        || String.valueOf(e.getMessage()).contains("does not belong to the document");
  }
}
