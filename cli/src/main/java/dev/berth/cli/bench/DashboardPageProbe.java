package dev.berth.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.bench.browser.BrowserPage;
import dev.berth.cli.bench.browser.HeadlessChromium;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The dashboard's overview in headless Chromium, measured from inside the page by
 * dashboard-probe.js: how long after navigation it first shows the whole fleet, and when each
 * container row's restart count changes in the DOM.
 */
final class DashboardPageProbe implements AutoCloseable {
  private final HeadlessChromium chromium;
  private final String probe;
  private BrowserPage page;

  private DashboardPageProbe(HeadlessChromium chromium, String probe) {
    this.chromium = chromium;
    this.probe = probe;
  }

  /** Starts the browser trusting the API's serving key; each load gets the probe first. */
  static DashboardPageProbe open(Vertx vertx, Path servingCert, int containers) throws Exception {
    String probe;
    try (InputStream in = DashboardPageProbe.class.getResourceAsStream("dashboard-probe.js")) {
      probe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return new DashboardPageProbe(
        HeadlessChromium.start(vertx, spkiOf(servingCert)),
        probe.replace("__CONTAINERS__", Integer.toString(containers)));
  }

  /** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI list takes. */
  private static String spkiOf(Path certificate) throws Exception {
    try (InputStream in = Files.newInputStream(certificate)) {
      byte[] spki =
          CertificateFactory.getInstance("X.509")
              .generateCertificate(in)
              .getPublicKey()
              .getEncoded();
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }
  }

  /**
   * Milestones of one page load, in milliseconds from navigation start: the document parsed (its
   * script run), the watch socket opened, its snapshot received, the overview showing the fleet.
   */
  record PageLoad(double parsed, double socketOpen, double snapshot, double rendered) {}

  /**
   * Loads {@code url} in a new tab as a first visit (an empty context) and waits until the overview
   * shows the whole fleet; the tab before it is closed.
   */
  PageLoad load(String url) throws Exception {
    if (page != null) {
      page.close();
    }
    page = chromium.newPage();
    page.beforeEachLoad(probe);
    page.navigate(url);
    long deadline = System.currentTimeMillis() + 60_000;
    for (; ; ) {
      JsonNode at =
          page.evaluate(
              "(() => { const p = window.__benchProbe;"
                  + " if (!p || p.renderedAt === null) return null;"
                  + " const n = performance.getEntriesByType('navigation')[0];"
                  + " return [n.domContentLoadedEventEnd, p.socketOpen, p.snapshotReceived,"
                  + " p.renderedAt]; })()");
      if (at.isArray()) {
        return new PageLoad(
            at.get(0).asDouble(), at.get(1).asDouble(), at.get(2).asDouble(), at.get(3).asDouble());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            url.replaceAll("token=.*", "token=…") + " did not show the fleet within 60 s");
      }
      Thread.sleep(20);
    }
  }

  /** The container rows in the overview's DOM (those in view and a few past it). */
  List<String> rowKeys() throws Exception {
    List<String> keys = new ArrayList<>();
    page.evaluate(
            "[...document.querySelectorAll(\"[data-view='overview'] [aria-label='Containers']"
                + " .vt-row\")].map((r) => r.dataset.key)")
        .forEach(k -> keys.add(k.asText()));
    return keys;
  }

  /**
   * The page's epoch clock minus this process's, in milliseconds: the reading with the shortest
   * round trip of 20.
   */
  double clockOffsetMillis() throws Exception {
    double best = Double.MAX_VALUE;
    double offset = 0;
    for (int i = 0; i < 20; i++) {
      long t0 = DashboardBench.epochNanos();
      double pageNow = page.evaluate("performance.timeOrigin + performance.now()").asDouble();
      long t1 = DashboardBench.epochNanos();
      if (t1 - t0 < best) {
        best = t1 - t0;
        offset = pageNow - (t0 + t1) / 2e6;
      }
    }
    return offset;
  }

  /**
   * What the probe recorded: seen (key: [[restarts, epochMillis]...]), frames, longTasks, applied.
   */
  JsonNode results() throws Exception {
    return page.evaluate(
        "({seen: __benchProbe.seen, frames: __benchProbe.frames,"
            + " longTasks: __benchProbe.longTasks, applied: __benchProbe.applied})");
  }

  /** Starts or stops counting the page's frames (requestAnimationFrame callbacks). */
  void countFrames(boolean on) throws Exception {
    page.evaluate("__benchProbe.countFrames(" + on + ")");
  }

  /** Starts the page's CPU profiler (V8's sampling profiler, 1 ms interval). */
  void startProfile() throws Exception {
    page.call("Profiler.enable");
    page.call("Profiler.start");
  }

  /** Stops the profiler and writes its profile (.cpuprofile, opened by Chromium's DevTools). */
  void stopProfile(Path file) throws Exception {
    JsonNode profile = page.call("Profiler.stop").path("profile");
    Files.writeString(file, profile.toString());
  }

  @Override
  public void close() throws Exception {
    page = null; // closed with the browser
    chromium.close();
  }
}
