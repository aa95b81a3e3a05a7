package dev.kodo.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

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
}
