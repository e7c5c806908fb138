package dev.berth.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.cli.BerthMain;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.InProcessCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `berth run|ps|logs|exec|stop|rm` as a user runs them: real containers from a stored image, no
 * fleet, each command a fresh start of the command line against the same directories.
 */
class LocalContainersTest {
  private static final String IMAGE = "local/run-test:1";
  private static Path work;
  private static String[] where;
  private static String bridge;

  @BeforeAll
  static void storeAnImage() throws Exception {
    work = Files.createTempDirectory("berth-local-");
    Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
    new ImageBuilder(new ImageStore(work.resolve("images")))
        .build(rootfs, BuildOptions.of(List.of("sh")), ImageReference.parse(IMAGE));
    where =
        new String[] {
          "--root", work.resolve("local").toString(),
          "--runroot", work.resolve("run").toString(),
          "--store", work.resolve("images").toString()
        };
    bridge =
        new dev.berth.agent.local.LocalLayout(
                work.resolve("local"), work.resolve("images"), work.resolve("run"))
            .bridge();
  }

  @AfterAll
  static void removeEverything() throws Exception {
    InProcessCli.Output ps = berth("ps", "-a", "-q");
    for (String id : ps.out().split("\\s+")) {
      if (!id.isBlank()) {
        berth("rm", "-f", id);
      }
    }
    FileTrees.delete(work);
    if (Files.exists(Path.of("/sys/class/net/" + bridge))) { // this test's own
      new ProcessBuilder("ip", "link", "del", bridge).inheritIO().start().waitFor();
    }
  }

  /** A local command: its own words first, then where the containers live, then {@code rest}. */
  private static InProcessCli.Output berth(String command, String... rest) {
    List<String> args = new ArrayList<>();
    args.add(command);
    int i = 0;
    // options before the image or container: what follows it is the command's
    while (i < rest.length && rest[i].startsWith("-")) {
      args.add(rest[i++]);
      if (i < rest.length
          && List.of("--name", "-e", "--network", "-t", "--tail", "-p").contains(rest[i - 1])) {
        args.add(rest[i++]);
      }
    }
    args.addAll(List.of(where));
    args.addAll(List.of(rest).subList(i, rest.length));
    return InProcessCli.run(BerthMain::execute, args.toArray(String[]::new));
  }

  private static List<Path> under(String dir) throws IOException {
    Path d = work.resolve(dir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  private static boolean mountedUnder(Path dir) throws IOException {
    return Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + dir + "/");
  }

  @Test
  void aForegroundRunPrintsTheContainersOutputExitsWithItsStatusAndRmLeavesNothing()
      throws Exception {
    InProcessCli.Output r =
        berth(
            "run",
            "--rm",
            "--network",
            "none",
            "-e",
            "GREETING=hello there",
            IMAGE,
            "sh",
            "-c",
            "echo \"$GREETING\"; echo to-err >&2; ls -l /proc/1/exe; exit 3");
    assertEquals(3, r.exit(), r.err());
    assertTrue(r.out().startsWith("hello there\n"), r.out());
    assertTrue(r.out().contains("/bin/busybox"), "pid 1 is the command: " + r.out());
    assertEquals("to-err\n", r.err());
    assertEquals(List.of(), under("local/containers"), "--rm removed it");
    assertEquals(List.of(), under("local/snapshots/containers"));
    assertEquals(List.of(), under("run").stream().filter(p -> !p.endsWith(".seccomp")).toList());
    assertFalse(mountedUnder(work), "no rootfs left mounted");
    assertFalse(
        Files.exists(Path.of("/sys/fs/cgroup/pids/berth-local"))
            && hasChildren(Path.of("/sys/fs/cgroup/pids/berth-local")),
        "no cgroup left");
  }

  private static boolean hasChildren(Path cgroup) throws IOException {
    try (Stream<Path> s = Files.list(cgroup)) {
      return s.anyMatch(Files::isDirectory);
    }
  }

  @Test
  void aDetachedContainerIsListedLogsExecsAndStopsWithItsSignal() throws Exception {
    InProcessCli.Output run =
        berth(
            "run",
            "-d",
            "--name",
            "web",
            "--network",
            "none",
            IMAGE,
            "sh",
            "-c",
            "echo started; trap 'echo bye; exit 7' TERM; while true; do sleep 0.1; done");
    assertEquals(0, run.exit(), run.err());
    String id = run.out().trim();
    assertTrue(id.matches("[0-9a-f]{64}"), id);
    try {
      InProcessCli.Output ps = berth("ps");
      assertTrue(ps.out().contains(id.substring(0, 12)), ps.out());
      assertTrue(ps.out().contains(" Up ") && ps.out().contains("web"), ps.out());
      awaitLog("web", "started");

      InProcessCli.Output exec =
          berth("exec", "web", "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; exit 4");
      assertEquals(4, exec.exit(), exec.err());
      // exec's output is this command's own stdout (the test's), not captured: its status is
      // what the caller sees
      InProcessCli.Output refused = berth("rm", "web");
      assertEquals(1, refused.exit());
      assertTrue(refused.err().contains("is running: stop it first"), refused.err());

      InProcessCli.Output stop = berth("stop", "web");
      assertEquals(0, stop.exit(), stop.err());
      InProcessCli.Output all = berth("ps", "-a");
      assertTrue(all.out().contains("Exited (7)"), "TERM reached its trap: " + all.out());
      assertFalse(berth("ps").out().contains("web"), "not running: ps without -a leaves it out");
      InProcessCli.Output logs = berth("logs", "web");
      assertEquals("started\nbye\n", logs.out());
      assertEquals("bye\n", berth("logs", "--tail", "1", "web").out());
    } finally {
      assertEquals(0, berth("rm", "-f", id.substring(0, 8)).exit(), "a prefix of the id will do");
    }
    assertEquals(List.of(), under("local/containers"));
    assertEquals(List.of(), under("local/names"));
  }

  @Test
  void theDefaultBridgeGivesTheContainerAnAddressAndTheGatewayAnswers() throws Exception {
    InProcessCli.Output r =
        berth(
            "run",
            "--rm",
            IMAGE,
            "sh",
            "-c",
            "ip -4 -o addr show eth0; ping -c 1 -W 2 $(ip route | awk '/default/ {print $3}') >/dev/null"
                + " && echo gateway-answered");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().matches("(?s).*eth0\\s+inet \\d+\\.\\d+\\.\\d+\\.\\d+/\\d+.*"), r.out());
    assertTrue(r.out().contains("gateway-answered"), r.out());
    assertEquals(List.of(), under("local/containers"));
    try (Stream<Path> ns = Files.list(Path.of("/run/netns"))) {
      assertTrue(ns.noneMatch(p -> p.toString().contains("berth")), "namespace unpinned");
    } catch (java.nio.file.NoSuchFileException e) {
      // none at all
    }
  }

  @Test
  void aPublishedPortAnswersOnTheHostUntilTheContainerIsRemoved() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    InProcessCli.Output run =
        berth(
            "run",
            "-d",
            "--name",
            "web",
            "-p",
            "127.0.0.1:" + port + ":8080",
            IMAGE,
            "sh",
            "-c",
            "mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www");
    assertEquals(0, run.exit(), run.err());
    try {
      assertEquals(
          "hello-from-web\n", dev.berth.testing.HttpGet.retrying("http://127.0.0.1:" + port + "/"));
      assertTrue(berth("ps").out().contains("127.0.0.1:" + port + "->8080/tcp"), berth("ps").out());
    } finally {
      assertEquals(0, berth("rm", "-f", "web").exit());
    }
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
      org.junit.jupiter.api.Assertions.fail("the port still answers after rm");
    } catch (java.io.IOException expected) {
      // refused: the mapping went with the container
    }
  }

  @Test
  void namesAreOneContainersAndBadInputIsRefusedChangingNothing() throws Exception {
    InProcessCli.Output first =
        berth("run", "-d", "--name", "one", "--network", "none", IMAGE, "sleep", "30");
    assertEquals(0, first.exit(), first.err());
    try {
      InProcessCli.Output again = berth("run", "--name", "one", "--network", "none", IMAGE, "true");
      assertNotEquals(0, again.exit());
      assertTrue(again.err().contains("\"one\" is in use by container"), again.err());
      for (String[] bad :
          new String[][] {
            {"run", "--name", "../x", "--network", "none", IMAGE, "true"},
            {"run", "--network", "sideways", IMAGE, "true"},
            {"run", "-e", "=x", "--network", "none", IMAGE, "true"},
            {"run", "--network", "none", "local/no-such:1", "true"},
            {"run", "-p", "70000:80", IMAGE, "true"},
            {"run", "-p", "8080", IMAGE, "true"},
            {"run", "-p", "300.1.1.1:8080:80", IMAGE, "true"},
            {"run", "-p", "8080:80", "--network", "host", IMAGE, "true"},
          }) {
        InProcessCli.Output o = berth(bad[0], java.util.Arrays.copyOfRange(bad, 1, bad.length));
        assertNotEquals(0, o.exit(), String.join(" ", bad));
        assertTrue(o.err().startsWith("berth: "), "a clear error: " + o.err());
      }
      assertEquals(
          1, under("local/containers").size(), "only the first: " + under("local/containers"));
      InProcessCli.Output missing = berth("stop", "nobody");
      assertTrue(missing.err().contains("no local container \"nobody\""), missing.err());
    } finally {
      berth("rm", "-f", "one");
    }
  }

  private static void awaitLog(String name, String text) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!berth("logs", name).out().contains(text)) {
      assertTrue(System.nanoTime() < deadline, "no \"" + text + "\" in " + name + "'s log");
      Thread.sleep(50);
    }
  }
}
