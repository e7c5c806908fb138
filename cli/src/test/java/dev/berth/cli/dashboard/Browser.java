package dev.berth.cli.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless at 1280x800, driven through Debian's chromedriver (no driver or
 * browser is downloaded); screenshots go to target/dashboard-screenshots.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
  private final ChromeDriver driver;

  private final Path tmp;

  private Browser(ChromeDriver driver, Path tmp) {
    this.driver = driver;
    this.tmp = tmp;
  }

  static Browser start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // as root
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        // Nothing but loopback is reachable: no calls home that the closed network refuses.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic");
    // The fleet's CA is its own: the browser is told to accept it, as a user who imported it.
    options.setAcceptInsecureCerts(true);
    // Its profile and scratch files in a directory of the test's, removed on close: what Chromium
    // leaves in /tmp (org.chromium.Chromium.*) when it is not asked would stay there.
    Path tmp;
    try {
      tmp = java.nio.file.Files.createTempDirectory("berth-browser-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .withSilent(true)
            .withEnvironment(java.util.Map.of("TMPDIR", tmp.toString()))
            .build();
    options.addArguments("--user-data-dir=" + tmp.resolve("profile"));
    return new Browser(new ChromeDriver(service, options), tmp);
  }

  WebDriver driver() {
    return driver;
  }

  /**
   * Loads the dashboard and waits until its script runs. Chromium abandons a load when the
   * machine's addresses change (ERR_NETWORK_CHANGED: every container start adds a veth, whose IPv6
   * address settles a moment later), leaving its error page; the load is then tried again, as a
   * user would press Reload. Once loaded, the page reconnects by itself.
   */
  void open(String url) {
    for (int attempt = 1; ; attempt++) {
      driver.get(url);
      try {
        new WebDriverWait(driver, Duration.ofSeconds(15))
            .until(
                d -> {
                  if (String.valueOf(js("return location.href")).startsWith("chrome-error:")) {
                    throw new IllegalStateException("load failed: " + describe());
                  }
                  return Boolean.TRUE.equals(js("return !!(window.berth && window.berth.store)"));
                });
        return;
      } catch (RuntimeException e) {
        if (attempt == 5) {
          throw new IllegalStateException(
              "the dashboard did not load in " + attempt + " tries: " + describe(), e);
        }
      }
    }
  }

  /** What the page shows, for failure messages: its address, title, status and first text. */
  String describe() {
    try {
      Object text =
          js(
              "const c = document.getElementById('conn');"
                  + "return location.href.replace(/token=[^&]*/, 'token=…') + ' | ' + document.title"
                  + " + ' | conn: ' + (c ? c.textContent : '-') + ' | '"
                  + " + (document.body ? document.body.innerText : '').slice(0, 160);");
      return String.valueOf(text).replaceAll("\\s+", " ");
    } catch (RuntimeException e) {
      return "(the page could not be read: " + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  /** Goes to an address of the page (#/...) without loading it again. */
  void go(String hash) {
    js("location.hash = arguments[0]", hash);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Waits until {@code condition} gives something other than null or false. */
  <T> T await(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(45))
          .ignoring(org.openqa.selenium.NoSuchElementException.class)
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .withMessage(() -> what + " [page: " + describe() + "]")
          .until(condition);
    } catch (RuntimeException e) {
      screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
      throw e;
    }
  }

  /** Text of the first element matching {@code css}, or "" when there is none. */
  String text(String css) {
    var found = driver.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException | RuntimeException e) {
      // a screenshot is an artifact, not a result
    }
  }

  @Override
  public void close() {
    driver.quit();
    dev.berth.runtime.testing.BusyboxBundle.deleteTree(tmp);
  }
}
