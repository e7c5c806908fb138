package dev.berth.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.network.NetworkSettings;
import dev.berth.cli.BerthCli;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.TrustedCa;
import dev.berth.model.runtime.State;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.Await;
import dev.berth.testing.HttpGet;
import dev.berth.testing.InProcessCli;
import dev.berth.testing.OwnSockets;
import dev.berth.testing.Shell;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * `berth up` in-process: examples run, the API applies, and a restart keeps workloads and adopts
 * containers.
 */
class SingleMachineFleetTest {
  private static void await(BooleanSupplier condition, String what) throws Exception {
    Await.until(condition, what, 40000);
  }

  private static List<State> running(ContainerRuntime runtime) {
    return runtime.list().stream().filter(s -> s.status().equals("running")).toList();
  }

  /** The IPv4 addresses the fleet view shows for containers, sorted. */
  private static List<String> addresses(HttpClient http, String url) {
    return addressesOf(http, url, null);
  }

  /** The IPv4 addresses the fleet view shows for one workload's containers (null: all), sorted. */
  private static List<String> addressesOf(HttpClient http, String url, String workload) {
    try {
      String body = http.send(request(url).build(), HttpResponse.BodyHandlers.ofString()).body();
      List<String> out = new java.util.ArrayList<>();
      for (var c : JsonMapping.mapper().readTree(body).path("items")) {
        if ((workload == null || c.path("workload").asText().equals(workload))
            && c.path("ip").isTextual()) {
          out.add(c.path("ip").asText());
        }
      }
      return out.stream().sorted().toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  private static String token;

  /** A request with the fleet's admin token. */
  private static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
  }

  /** Runs a command in the client workload's container. */
  private static InProcessCli.Output exec(String server, String... command) {
    List<String> args =
        new java.util.ArrayList<>(List.of("exec", "--config", server, "client", "--"));
    args.addAll(List.of(command));
    return BerthCli.run(args.toArray(String[]::new));
  }

  @Test
  void theFleetRunsItsExamplesTakesAppliesAndSurvivesARestart() throws Exception {
    Path state = Files.createTempDirectory("berth-up-");
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path examples = Files.createDirectories(state.resolve("examples"));
    Files.writeString(
        examples.resolve("hello.yaml"),
        "name: hello\nimage: local/busybox:1\ncommand: [sleep]\nargs: [\"60\"]\nreplicas: 1\n");
    String bridge = "bup" + ProcessHandle.current().pid() % 100_000;
    SingleMachineFleet.Options options =
        new SingleMachineFleet.Options(
            state.resolve("berth"),
            0,
            0,
            "test-node",
            examples,
            Map.of(),
            NetworkSettings.in(state.resolve("net.d"), bridge));
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    ContainerRuntime runtime = new ContainerRuntime(state.resolve("berth/agent-test-node/runtime"));
    SingleMachineFleet fleet = SingleMachineFleet.start(options, quiet);
    token = fleet.client().token();
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(TrustedCa.sslContext(fleet.client().certificateAuthority()))
            .build();
    boolean closed = false;
    try {
      await(() -> running(runtime).size() == 1, "the example to run");
      String api = "https://127.0.0.1:" + fleet.apiPort() + "/v1/workloads";
      HttpResponse<String> applied =
          http.send(
              request(api)
                  .header("Content-Type", "application/yaml")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "name: web\nimage: local/busybox:1\ncommand: [sleep]\nargs: [\"60\"]\nreplicas: 2\n"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, applied.statusCode(), applied.body());
      await(() -> running(runtime).size() == 3, "web's two replicas to run");
      String containersUrl = "https://127.0.0.1:" + fleet.apiPort() + "/v1/containers";
      await(
          () -> addresses(http, containersUrl).size() == 3,
          "each running container to report an address on the default network");
      String server = state.resolve("berth/client.json").toString();
      var nodes = BerthCli.run("get", "nodes", "--config", server);
      assertTrue(
          nodes.out().lines().anyMatch(l -> l.startsWith("test-node") && l.contains("Ready")),
          nodes.out());
      await(
          () ->
              BerthCli.run("get", "containers", "--config", server)
                      .out()
                      .lines()
                      .filter(l -> l.matches(".* running +\\d+\\.\\d+\\.\\d+\\.\\d+ .*"))
                      .count()
                  == 3,
          "three containers listed running, each with its address");
      List<Integer> pids = running(runtime).stream().map(State::pid).sorted().toList();
      var purge = BerthCli.run("down", "--purge", "--state-dir", state.resolve("berth").toString());
      assertEquals(1, purge.exit(), "berth down --purge refused while the fleet runs");
      assertTrue(purge.err().contains("berth up is running on"), purge.err());
      assertTrue(Files.isDirectory(state.resolve("berth/kafka")), "Kafka's log is still there");
      assertEquals(3, running(runtime).size(), "and so are the containers");
      List<OwnSockets.Listener> listeners = OwnSockets.listening();
      assertTrue(
          listeners.stream().noneMatch(OwnSockets.Listener::wildcard),
          "nothing of the fleet listens on a wildcard address: " + listeners);
      assertTrue(listeners.size() >= 5, "Kafka, Hazelcast, the two APIs, DNS: " + listeners);
      List<String> ips = addresses(http, containersUrl);

      var exec =
          BerthCli.run(
              "exec",
              "--config",
              server,
              "web",
              "--",
              "sh",
              "-c",
              "echo out-$((1+1)); echo to-the-log >> /proc/1/fd/1; exit 4");
      assertEquals(4, exec.exit(), exec.err());
      assertEquals("out-2\n", exec.out());
      var logs = BerthCli.run("logs", "web", "--config", server);
      assertEquals(0, logs.exit(), logs.err());
      assertEquals(
          "to-the-log\n", logs.out(), "what went to the container's stdout (the same replica)");
      var unknown = BerthCli.run("logs", "nobody", "--config", server);
      assertEquals(1, unknown.exit());
      assertTrue(
          unknown.err().contains("no container or running workload named \"nobody\""),
          unknown.err());

      // Workloads find each other by name: a client fetches a page from "site" through the
      // node's name server, then the name goes when the workload does.
      String site = "echo page-from-site > /tmp/i && httpd -f -p 8080 -h /tmp";
      int sitePort = 31_000 + (int) (ProcessHandle.current().pid() % 10_000);
      String client =
          "until wget -qO- http://site:8080/i; do sleep 0.2; done; "
              + "wget -qO- http://site.berth.internal:8080/i; sleep 600";
      for (String spec :
          List.of(
              "name: site\nimage: local/busybox:1\ncommand: [sh, -c]\nargs: [\""
                  + site
                  + "\"]\nports: [{containerPort: 8080, hostPort: "
                  + sitePort
                  + "}]\n",
              "name: client\nimage: local/busybox:1\ncommand: [sh, -c]\nargs: [\""
                  + client
                  + "\"]\n")) {
        assertEquals(
            201,
            http.send(
                    request(api)
                        .header("Content-Type", "application/yaml")
                        .POST(HttpRequest.BodyPublishers.ofString(spec))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode());
      }
      await(
          () ->
              BerthCli.run("logs", "client", "--stream", "stdout", "--config", server)
                  .out()
                  .equals("page-from-site\npage-from-site\n"),
          "the client to fetch the page by name, bare and with the domain");
      assertEquals(
          "page-from-site\n",
          HttpGet.retrying("http://127.0.0.1:" + sitePort + "/i"),
          "the published port answers on the host's loopback");
      assertTrue(
          BerthCli.run("get", "containers", "-o", "wide", "--config", server)
              .out()
              .contains(sitePort + "->8080/tcp"),
          "berth get containers -o wide shows the published port");

      // A workload scaled to three: its name answers with all three addresses, each serves;
      // deleted,
      // the name goes within seconds.
      assertEquals(
          201,
          http.send(
                  request(api)
                      .header("Content-Type", "application/yaml")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "name: pages\nimage: local/busybox:1\ncommand: [sh, -c]\nargs:"
                                  + " [\"hostname > /tmp/i && httpd -f -p 8080 -h /tmp\"]\n"
                                  + "replicas: 3\n"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      await(() -> addressesOf(http, containersUrl, "pages").size() == 3, "three pages replicas");
      List<String> pages = addressesOf(http, containersUrl, "pages");
      await(
          () -> {
            String answer = exec(server, "nslookup", "pages").out();
            return pages.stream().allMatch(answer::contains);
          },
          "the name pages to answer with all three addresses " + pages);
      for (String ip : pages) {
        var page = exec(server, "wget", "-qO-", "http://" + ip + ":8080/i");
        assertTrue(
            page.out().startsWith("pages-g1-r"), ip + " answered: " + page.out() + page.err());
      }
      http.send(request(api + "/pages").DELETE().build(), HttpResponse.BodyHandlers.ofString());
      await(
          () -> {
            var gone = exec(server, "nslookup", "pages");
            return gone.exit() != 0 && (gone.out() + gone.err()).contains("NXDOMAIN");
          },
          "the name pages to go (NXDOMAIN)");

      for (String name : List.of("site", "client")) {
        http.send(request(api + "/" + name).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      }
      await(() -> running(runtime).size() == 3, "site and client removed");
      String afterSite = Shell.run("iptables-save");
      assertTrue(
          !afterSite.contains("dport " + sitePort),
          "the published port's rules went with site:\n" + afterSite);

      fleet.close();
      fleet = SingleMachineFleet.start(options, quiet);
      String listed =
          http.send(
                  request("https://127.0.0.1:" + fleet.apiPort() + "/v1/workloads").build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(
          listed.contains("\"name\":\"web\"") && listed.contains("\"name\":\"hello\""), listed);
      SingleMachineFleet restarted = fleet;
      await(
          () -> restarted.agent().reconcilePasses() >= 3,
          "three reconcile passes of the restarted agent");
      assertEquals(
          pids,
          running(runtime).stream().map(State::pid).sorted().toList(),
          "the restarted fleet adopted its containers: no restart, no duplicate");
      String restartedUrl = "https://127.0.0.1:" + fleet.apiPort() + "/v1/containers";
      await(
          () -> addresses(http, restartedUrl).equals(ips),
          "the adopted containers to keep their addresses " + ips);

      for (String name : List.of("web", "hello")) {
        http.send(
            request("https://127.0.0.1:" + fleet.apiPort() + "/v1/workloads/" + name)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
      }
      await(() -> runtime.list().isEmpty(), "everything to be removed");

      // A container left running when the fleet stops is taken down by berth down, network and
      // all: its address, its rules, its namespace, the node's bridge and NAT exemption.
      assertEquals(
          201,
          http.send(
                  request("https://127.0.0.1:" + fleet.apiPort() + "/v1/workloads")
                      .header("Content-Type", "application/yaml")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "name: left\nimage: local/busybox:1\ncommand: [sleep]\n"
                                  + "args: [\"600\"]\nports: [{containerPort: 80, hostPort: "
                                  + (sitePort + 1)
                                  + "}]\n"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      await(() -> addresses(http, restartedUrl).size() == 1, "the left-over container's address");
      String leftId = runtime.list().get(0).id();
      String clusterCidr = fleet.agent().podNetwork().clusterCidr();
      fleet.close();
      closed = true;
      var down = BerthCli.run("down", "--state-dir", state.resolve("berth").toString());
      assertEquals(0, down.exit(), down.err());
      assertTrue(runtime.list().isEmpty(), down.out());
      assertTrue(!Files.exists(Path.of("/sys/class/net", bridge)), "bridge removed: " + down.out());
      String rules = Shell.run("iptables-save");
      assertTrue(
          !rules.contains(leftId)
              && !rules.contains(clusterCidr)
              && !rules.contains("dport " + (sitePort + 1)),
          "no rule of the container, its port or the pod range left:\n" + rules);
      try (var pins = Files.list(Path.of("/run/netns"))) {
        assertTrue(
            pins.noneMatch(p -> p.getFileName().toString().startsWith("berth-test-node-")),
            "no network namespace pinned");
      }
      try (var leases = Files.walk(state.resolve("berth/agent-test-node/cni/networks"))) {
        assertTrue(
            leases.noneMatch(p -> p.getFileName().toString().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")),
            "no address leased");
      }
    } finally {
      if (!closed) {
        fleet.close(); // first: a running agent would start again what berth down removes
      }
      BerthCli.run("down", "--state-dir", state.resolve("berth").toString());
      FileTrees.delete(state);
    }
  }
}
