package dev.berth.cli.bench.browser;

import dev.berth.runtime.files.FileTrees;
import io.vertx.core.Vertx;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless in a throwaway profile, driven over the DevTools protocol on loopback
 * (no WebDriver, nothing downloaded): what the dashboard benchmark measures pages in.
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  private final Process process;
  private final Path profile;
  private final DevTools devTools;

  private HeadlessChromium(Process process, Path profile, DevTools devTools) {
    this.process = process;
    this.profile = profile;
    this.devTools = devTools;
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts the browser. {@code trustedSpki} is the base64 SHA-256 of the one server key whose
   * certificate it accepts (the fleet's own CA is not in the system's store).
   */
  public static HeadlessChromium start(Vertx vertx, String trustedSpki) throws Exception {
    Path profile = Files.createTempDirectory("berth-chromium-");
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(
        List.of(
            "--headless=new",
            "--no-sandbox", // as root
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--window-size=1280,800",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--user-data-dir=" + profile,
            "--ignore-certificate-errors-spki-list=" + trustedSpki,
            "about:blank"));
    ProcessBuilder pb = new ProcessBuilder(command);
    // its scratch files (org.chromium.Chromium.*) in the profile, removed with it, not in /tmp
    pb.environment().put("TMPDIR", profile.toString());
    Process p =
        pb.redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      // Chromium writes the port it took and the browser's path to this file once it listens.
      Path active = profile.resolve("DevToolsActivePort");
      long deadline = System.currentTimeMillis() + 30_000;
      List<String> lines = List.of();
      while (lines.size() < 2) {
        if (!p.isAlive()) {
          throw new IllegalStateException(BINARY + " exited with " + p.exitValue());
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(BINARY + " did not open DevTools within 30 s");
        }
        Thread.sleep(50);
        lines = Files.exists(active) ? Files.readAllLines(active) : List.of();
      }
      URI endpoint = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
      return new HeadlessChromium(p, profile, DevTools.connect(vertx, endpoint));
    } catch (Exception e) {
      stop(p);
      deleteProfile(profile);
      throw e;
    }
  }

  /**
   * Opens a tab on about:blank in a context of its own: no cache, cookies, storage or open
   * connections from earlier tabs, as on a first visit. Closing the page ends the context.
   */
  public BrowserPage newPage() throws Exception {
    String context =
        devTools
            .call(null, "Target.createBrowserContext", DevTools.params(), 30_000)
            .path("browserContextId")
            .asText();
    String target =
        devTools
            .call(
                null,
                "Target.createTarget",
                DevTools.params().put("url", "about:blank").put("browserContextId", context),
                30_000)
            .path("targetId")
            .asText();
    String session =
        devTools
            .call(
                null,
                "Target.attachToTarget",
                DevTools.params().put("targetId", target).put("flatten", true),
                30_000)
            .path("sessionId")
            .asText();
    devTools.call(session, "Page.enable", DevTools.params(), 30_000);
    return new BrowserPage(devTools, session, target, context);
  }

  /**
   * Ends the browser and waits for its helper processes too (renderers, the GPU and network
   * services): they write into the profile until they are gone.
   */
  private static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> helpers = p.descendants().toList();
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle h : helpers) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        h.destroyForcibly();
      }
    }
  }

  /** Deletes the profile; a file a helper wrote as it went can fail one try, so there are three. */
  private static void deleteProfile(Path profile) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        FileTrees.delete(profile);
        return;
      } catch (java.io.IOException | RuntimeException e) {
        if (attempt == 3) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      devTools.close();
    } finally {
      stop(process);
      deleteProfile(profile);
    }
  }
}
