package dev.berth.cli.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.cli.BerthCli;
import dev.berth.cli.fleet.SingleMachineFleet;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.TrustedCa;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.libc.Native;
import dev.berth.testing.Await;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The dashboard in a real browser (Debian's chromium) against a real single-machine fleet (`berth
 * up` in-process): what a user sees and does, no page reloads. A screenshot of each page is kept
 * under target/dashboard-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final String NODE = "dash-node";
  private static Path state;
  private static SingleMachineFleet fleet;
  private static Browser browser;
  private static HttpClient http;
  private static String api;
  private static String token;
  private static ContainerRuntime runtime;

  @BeforeAll
  static void fleetAndBrowser() throws Exception {
    state = Files.createTempDirectory("bd-");
    Path examples = Files.createDirectories(state.resolve("examples"));
    Files.writeString(
        examples.resolve("ticker.yaml"),
        "name: ticker\nimage: local/busybox:1\ncommand: [sh, -c]\n"
            + "args: ['i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 1; done']\n"
            + "restartPolicy: Always\n");
    String bridge = "bdb" + ProcessHandle.current().pid() % 100_000;
    fleet =
        SingleMachineFleet.start(
            new SingleMachineFleet.Options(
                state.resolve("berth"),
                0,
                0,
                NODE,
                examples,
                Map.of(),
                NetworkSettings.in(state.resolve("net.d"), bridge)),
            new PrintStream(PrintStream.nullOutputStream()));
    runtime = new ContainerRuntime(state.resolve("berth/agent-" + NODE + "/runtime"));
    token = fleet.client().token();
    api = "https://127.0.0.1:" + fleet.apiPort();
    http =
        HttpClient.newBuilder()
            .sslContext(TrustedCa.sslContext(fleet.client().certificateAuthority()))
            .build();
    // Chromium drops its connections when the machine's addresses change (ERR_NETWORK_CHANGED):
    // the browser starts once the node's bridge is up, with the example running and reported.
    java.util.concurrent.atomic.AtomicReference<String> seen =
        new java.util.concurrent.atomic.AtomicReference<>("");
    try {
      Await.until(
          () -> {
            try {
              seen.set(send("GET", "/v1/containers", null, null).body());
              return seen.get().contains("\"running\"");
            } catch (Exception e) {
              seen.set(e.toString());
              return false;
            }
          },
          "the example running in the fleet view",
          60000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; /v1/containers said: " + seen.get(), e);
    }
    awaitSettledAddresses();
    browser = Browser.start();
    // Signed in by the link `berth dashboard` prints: the token travels in the fragment, which
    // never reaches a server, and leaves the address bar at once.
    browser.open(api + "/#token=" + token);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (fleet != null) {
      fleet.close();
      BerthCli.run("down", "--state-dir", state.resolve("berth").toString(), "--purge");
    }
    if (state != null) {
      FileTrees.delete(state);
    }
  }

  /**
   * Waits until no host address is still in IPv6 duplicate address detection: a container's veth
   * gets one, and Chromium drops its connections (ERR_NETWORK_CHANGED) when it settles. A user's
   * page reconnects by itself; a test's request in flight would be lost.
   */
  private static void awaitSettledAddresses() throws Exception {
    Await.until(
        () -> {
          try {
            Process p =
                new ProcessBuilder("ip", "-6", "addr", "show", "tentative")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 && out.isBlank();
          } catch (Exception e) {
            return false;
          }
        },
        "no tentative IPv6 address on the host",
        15000);
  }

  private static String row(String view, String key) {
    return "[data-view='" + view + "'] .vt-row[data-key='" + key + "']";
  }

  @Test
  @Order(1)
  void theOverviewListsTheNodeAndTheExampleWorkload() {
    browser.await("the node's row", d -> browser.text(row("overview", NODE)).contains("ready"));
    browser.await("the example's row", d -> !browser.text(row("overview", "ticker")).isEmpty());
    browser.await("the live badge", d -> browser.text("#conn").equals("live"));
    assertTrue(!browser.driver().getCurrentUrl().contains(token), "the token left the address bar");
    browser.screenshot("overview");
  }

  @Test
  @Order(2)
  void aWorkloadAppliedThroughTheApiAppearsAndRunsWithoutAReload() throws Exception {
    browser.go("#/");
    browser.js("window.__sameDocument = 'yes'");
    HttpResponse<String> applied =
        send(
            "POST",
            "/v1/workloads",
            "name: web\nimage: local/busybox:1\ncommand: [sleep]\nargs: ['3600']\n",
            "application/yaml");
    assertEquals(201, applied.statusCode(), applied.body());
    browser.await("web's row", d -> !browser.text(row("overview", "web")).isEmpty());
    browser.await(
        "web's container running in the page",
        d -> browser.text(row("overview", "web-g1-r0")).contains("running"));
    awaitSettledAddresses();
    assertEquals("yes", browser.js("return window.__sameDocument"), "the page was not reloaded");
  }

  @Test
  @Order(3)
  void scalingFromThePageChangesTheContainers() throws Exception {
    browser.go("#/workloads/web");
    browser.await("the scale control", d -> browser.find("#scale-replicas").isDisplayed());
    var replicas = browser.find("#scale-replicas");
    replicas.sendKeys(Keys.chord(Keys.CONTROL, "a"), "3");
    browser.find("form[aria-label='Scale'] button[type='submit']").click();
    browser.await(
        "three of web's containers running in the page",
        d ->
            d
                    .findElements(
                        By.cssSelector("[data-view='workload'] [aria-label='Containers'] .vt-row"))
                    .stream()
                    .filter(r -> r.getText().contains("web-g") && r.getText().contains("running"))
                    .count()
                == 3);
    awaitSettledAddresses();
    JsonNode w = json(send("GET", "/v1/workloads/web", null, null));
    assertEquals(3, w.path("spec").path("replicas").asInt(), w.toString());
    browser.screenshot("workload");
  }

  @Test
  @Order(4)
  void aBadYamlEditShowsTheFieldErrorAndChangesNothing() throws Exception {
    browser.go("#/workloads/web");
    browser.await(
        "the editor", d -> browser.find("#spec-yaml").getAttribute("value").contains("web"));
    long generation =
        json(send("GET", "/v1/workloads/web", null, null)).path("generation").asLong();
    browser.js(
        "const t = document.getElementById('spec-yaml');"
            + "t.value = 'name: web\\nimage: local/busybox:1\\ncommand: [sleep]\\nreplicas: -2\\n';"
            + "t.dispatchEvent(new Event('input'));");
    browser.find("[data-view='workload'] button.primary").click();
    var error =
        browser.await(
            "the field error",
            d -> d.findElement(By.cssSelector(".errors li[data-field='replicas']")));
    assertEquals("4", error.getAttribute("data-line"), error.getText());
    assertTrue(error.getText().contains("negative"), error.getText());
    browser.screenshot("workload-invalid");
    JsonNode after = json(send("GET", "/v1/workloads/web", null, null));
    assertEquals(generation, after.path("generation").asLong(), "nothing changed: " + after);
    assertEquals(3, after.path("spec").path("replicas").asInt());
  }

  @Test
  @Order(5)
  void theLogsShowALineTheContainerWritesAfterThePageOpened() {
    browser.go("#/containers/ticker-g1-r0");
    String first = browser.await("the first ticks", d -> lastTick(browser.text("pre.logs")));
    int seen = Integer.parseInt(first);
    browser.await(
        "a tick written after the page opened",
        d -> {
          String now = lastTick(browser.text("pre.logs"));
          return now != null && Integer.parseInt(now) >= seen + 2;
        });
  }

  private static String lastTick(String text) {
    Matcher m = Pattern.compile("tick (\\d+)").matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last;
  }

  @Test
  @Order(6)
  void theTerminalRunsHostnameInTheContainer() {
    browser.go("#/containers/ticker-g1-r0");
    browser.await(
        "the terminal button",
        d -> d.findElement(By.xpath("//button[text()='Open terminal']")).isDisplayed());
    browser.driver().findElement(By.xpath("//button[text()='Open terminal']")).click();
    browser.await(
        "the terminal's prompt",
        d -> {
          String status = browser.text("[data-panel='terminal'] .hint");
          if (status.equals("closed")) {
            // closed without an exit or an error: the connection was dropped, not refused
            d.findElement(By.xpath("//button[text()='Open terminal']")).click();
            return false;
          }
          assertTrue(status.equals("connecting…") || status.equals("connected"), status);
          return terminalText().contains("#");
        });
    browser.find(".xterm-helper-textarea").sendKeys("hostname\n");
    browser.await(
        "the container's name as its hostname", d -> terminalText().contains("ticker-g1-r0"));
    browser.screenshot("container");
  }

  /** What the terminal shows: its buffer's lines, as xterm.js holds them. */
  private static String terminalText() {
    return String.valueOf(
        browser.js(
            "const t = window.berth.terminal; if (!t) return '';"
                + "const b = t.buffer.active; let s = '';"
                + "for (let i = 0; i < b.length; i++) s += b.getLine(i).translateToString(true) + '\\n';"
                + "return s;"));
  }

  @Test
  @Order(7)
  void killingAContainersProcessShowsTheRestartInTheTimeline() throws Exception {
    int pid = runtime.state("ticker-g1-r0").pid();
    assertTrue(Native.kill(pid, 9), "killed " + pid);
    browser.go("#/events");
    browser.await(
        "the restart in the timeline",
        d ->
            d.findElements(By.cssSelector("[data-view='events'] .vt-row")).stream()
                .anyMatch(
                    r ->
                        r.getText().contains("ticker-g1-r0") && r.getText().contains("restarted")));
    browser.screenshot("events");
  }

  @Test
  @Order(8)
  void aLostConnectionSaysSoAndComesBack() {
    browser.go("#/");
    browser.await("live", d -> browser.text("#conn").equals("live"));
    browser.js(
        "window.__states = [];"
            + "const c = document.getElementById('conn');"
            + "new MutationObserver(() => window.__states.push(c.textContent))"
            + ".observe(c, {childList: true, characterData: true, subtree: true});"
            + "window.berth.connection.ws.close();");
    browser.await("live again", d -> browser.text("#conn").equals("live"));
    String seen = String.valueOf(browser.js("return window.__states.join(' | ')"));
    assertTrue(seen.contains("connection lost: reconnecting"), seen);
    browser.await(
        "the node's row after the new snapshot",
        d -> browser.text(row("overview", NODE)).contains("ready"));
  }

  @Test
  @Order(9)
  void theNodePageListsItsContainers() {
    browser.go("#/nodes/" + NODE);
    browser.await(
        "the node's containers",
        d ->
            d.findElements(By.cssSelector("[data-view='node'] .vt-row")).stream()
                .anyMatch(r -> r.getText().contains("ticker-g1-r0")));
    browser.await(
        "a usage chart",
        d -> !d.findElements(By.cssSelector("[data-view='node'] .uplot")).isEmpty());
    browser.screenshot("node");
  }

  @Test
  @Order(10)
  void theGitOpsPagesShowASourcesSyncItsWorkloadsAndItsHistory() throws Exception {
    Path bare = state.resolve("apps.git");
    org.eclipse.jgit.api.Git.init()
        .setBare(true)
        .setInitialBranch("main")
        .setDirectory(bare.toFile())
        .call()
        .close();
    try (org.eclipse.jgit.api.Git work =
        org.eclipse.jgit.api.Git.init()
            .setInitialBranch("main")
            .setDirectory(state.resolve("apps").toFile())
            .call()) {
      Files.writeString(
          state.resolve("apps/gitweb.yaml"),
          "name: gitweb\nimage: local/busybox:1\ncommand: [sleep]\nargs: ['3600']\n");
      work.add().addFilepattern(".").call();
      work.commit().setMessage("gitweb").setAuthor("Ada", "ada@example.com").call();
      work.push().setRemote(bare.toUri().toString()).add("main").call();
    }
    HttpResponse<String> declared =
        send(
            "POST",
            "/v1/gitops/sources",
            "name: apps\nrepository: " + bare.toUri() + "\ninterval: 2s\n",
            "application/yaml");
    assertEquals(201, declared.statusCode(), declared.body());
    browser.go("#/gitops");
    browser.await(
        "the source synced in the list",
        d -> browser.text("[data-view='gitops'] table").matches("(?s).*apps\\s+Synced.*"));
    browser.go("#/gitops/apps");
    browser.await(
        "its workload running and its sync in the history",
        d -> {
          String t = browser.text("[data-view='gitops-source']");
          return t.contains("gitweb") && t.contains("Healthy") && t.contains("1 created");
        });
    awaitSettledAddresses();
    browser.screenshot("gitops");
    send("DELETE", "/v1/gitops/sources/apps", null, null);
    send("DELETE", "/v1/workloads/gitweb", null, null);
  }

  private static HttpResponse<String> send(String method, String path, String body, String type)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
    if (type != null) {
      b.header("Content-Type", type);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JsonMapping.mapper().readTree(r.body());
  }
}
