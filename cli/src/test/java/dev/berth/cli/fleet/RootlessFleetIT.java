package dev.berth.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.testing.BusyboxBundle;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `bin/berth up --rootless` run by an ordinary user (nobody, which has no subordinate ids: its own
 * id alone is mapped): the fleet comes up, a workload's published port answers on the host's
 * loopback, its process is the user's on the host and sits in namespaces of its own, and when the
 * fleet stops nothing of it is left running.
 */
class RootlessFleetIT {
  private static final long NOBODY = 65534;
  private Path work;
  private Process up;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("berth-rootless-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (up != null && up.isAlive()) {
      stop();
    }
    BusyboxBundle.deleteTree(work);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void anOrdinaryUsersFleetServesAPublishedPortFromAContainerThatIsTheUsersAndEndsWithIt()
      throws Exception {
    int web = freePort();
    Path examples = Files.createDirectories(work.resolve("examples"));
    Files.writeString(
        examples.resolve("web.yaml"),
        "name: web\n"
            + "image: local/busybox:1\n"
            + "command: [\"sh\", \"-c\"]\n"
            + "args: [\"echo served-rootless > /tmp/index.html && exec httpd -f -p 8080 -h /tmp\"]\n"
            + "replicas: 1\n"
            + "ports:\n"
            + "  - containerPort: 8080\n"
            + "    hostPort: "
            + web
            + "\n");
    Files.setPosixFilePermissions(examples, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        examples.resolve("web.yaml"), PosixFilePermissions.fromString("rw-r--r--"));
    Path launcher =
        Path.of(System.getProperty("berth.home", "..")).resolve("bin/berth").toAbsolutePath();
    String command =
        launcher
            + " up --rootless --state-dir "
            + work.resolve("state")
            + " --kafka-port "
            + freePort()
            + " --api-port "
            + freePort()
            + " --examples "
            + examples;
    up =
        new ProcessBuilder("su", "nobody", "-s", "/bin/sh", "-c", command)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(work.resolve("up.log").toFile())
            .redirectErrorStream(true)
            .start();

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    String body = "";
    long until = System.currentTimeMillis() + 120_000;
    while (!body.contains("served-rootless") && System.currentTimeMillis() < until) {
      assertTrue(up.isAlive(), "berth up --rootless ended: " + log());
      try {
        body =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/index.html"))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
      } catch (java.io.IOException notYet) {
        Thread.sleep(500);
      }
    }
    assertEquals("served-rootless\n", body, log());
    assertTrue(log().contains("a slirp4netns per container (rootless)"), log());

    ProcessHandle httpd = httpd().orElseThrow(() -> new AssertionError("no httpd: " + log()));
    long pid = httpd.pid();
    assertEquals(
        NOBODY,
        ((Number) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid")).longValue(),
        "the container's process is the user's on the host");
    for (String ns : List.of("user", "pid", "net", "mnt")) {
      assertTrue(
          !Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns))
              .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns))),
          "not in the host's " + ns + " namespace");
    }
    String uidMap = Files.readString(Path.of("/proc/" + pid + "/uid_map"));
    assertEquals("0 65534 1", uidMap.trim().replaceAll("\\s+", " "), "root inside is nobody");

    stop();
    assertTrue(httpd().isEmpty(), "the container ended with the fleet");
    assertTrue(log().contains("its containers end with its namespaces"), log());
    List<String> left = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(h -> owner(h) == NOBODY)
        .forEach(h -> left.add(h.pid() + " " + cmdline(h)));
    assertEquals(List.of(), left, "nothing of the user's left running");
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      assertTrue(!line.contains(work.toString()), "no mount left on the host: " + line);
    }
  }

  private Optional<ProcessHandle> httpd() {
    return ProcessHandle.allProcesses()
        .filter(h -> owner(h) == NOBODY)
        .filter(h -> cmdline(h).startsWith("httpd -f -p 8080"))
        .findFirst();
  }

  /** argv as the process has it (the JDK's commandLine starts from its executable instead). */
  private static String cmdline(ProcessHandle h) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + h.pid() + "/cmdline")))
          .replace((char) 0, ' ');
    } catch (java.io.IOException gone) {
      return "";
    }
  }

  private static long owner(ProcessHandle h) {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/" + h.pid()), "unix:uid")).longValue();
    } catch (java.io.IOException gone) {
      return -1;
    }
  }

  /** As Ctrl-C would: SIGTERM to the user's berth (the JVM that su started). */
  private void stop() throws Exception {
    up.descendants()
        .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
        .filter(
            h ->
                h.parent()
                    .flatMap(p -> p.info().command())
                    .map(c -> !c.endsWith("unshare"))
                    .orElse(true))
        .findFirst()
        .ifPresent(ProcessHandle::destroy);
    assertTrue(up.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "stopped: " + log());
    Thread.sleep(500);
  }

  private String log() {
    try {
      return Files.readString(work.resolve("up.log"));
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
