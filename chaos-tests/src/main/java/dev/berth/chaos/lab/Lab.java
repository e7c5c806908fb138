package dev.berth.chaos.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A fleet on one machine for experiments: the Kafka broker (in the host's network namespace, on the
 * lab bridge's address), two control planes and N agents, each a `berth` process in a network
 * namespace of its own with its own address, so that any of them can be killed, paused or cut off.
 * Closing it stops everything and removes what it made: containers (`berth down` per agent, in its
 * namespace), namespaces, the bridge, the rules, the work directory.
 */
public final class Lab implements AutoCloseable {
  /** The image every lab workload runs (busybox, built into each agent's store). */
  public static final String IMAGE = "local/busybox:1";

  static final int HAZELCAST_PORT = 5701;
  static final int API_PORT = 7070;
  private static final long READY_MILLIS = 120_000;

  /** A process of the lab and its address on the lab's network. */
  public record Member(String name, String address, LabProcess process) {}

  private final LabConfig config;
  private final Path work;
  private final String tag;
  private LabNetwork net;
  private Member broker;
  private final List<Member> controlPlanes = new ArrayList<>();
  private final List<Member> agents = new ArrayList<>();
  private LabApi api;

  private Lab(LabConfig config, Path work, String tag) {
    this.config = config;
    this.work = work;
    this.tag = tag;
  }

  /** Builds and starts the whole lab; on failure, removes what was made. */
  public static Lab start(LabConfig config) throws Exception {
    String tag = Long.toString(ProcessHandle.current().pid() % 100_000);
    Files.createDirectories(config.workDir());
    // short: the runtime's unix sockets live below it (runtime/ID/init.sock, at most 107 bytes)
    Path work = config.workDir().toAbsolutePath().resolve("lab" + tag);
    // the lab's longest socket: runtime/chaos-web-g1-r15/exec-<16 hex>.sock, 44 more bytes
    int longest = work.resolve("n/a8/agent-a8/runtime").toString().length() + 44;
    if (longest > 107) {
      throw new IOException(
          "--work-dir "
              + config.workDir()
              + " is too long: the runtime's sockets below it would pass the 107-byte limit of a"
              + " unix socket path; give a shorter one");
    }
    Files.createDirectory(work); // fails when a lab of this process is there already
    Lab lab = new Lab(config, work, tag);
    try {
      lab.build();
    } catch (Exception e) {
      try {
        lab.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return lab;
  }

  private void build() throws Exception {
    Files.createDirectories(work.resolve("logs"));
    net = LabNetwork.create(tag);
    String brokerAddress = net.hostAddress() + ":" + freePort(net.hostAddress());
    Path cp1 = work.resolve("cp1");
    broker =
        new Member(
            "broker",
            brokerAddress,
            new LabProcess(
                "broker",
                null,
                List.of(
                    "broker",
                    "--data-dir",
                    work.resolve("kafka").toString(),
                    "--address",
                    net.hostAddress(),
                    "--port",
                    brokerAddress.substring(brokerAddress.indexOf(':') + 1),
                    "--credentials-dir",
                    cp1.toString()),
                work.resolve("logs/broker.log")));
    broker.process().start("broker ready", READY_MILLIS);

    List<String> members = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      members.add(net.address(10 + i) + ":" + HAZELCAST_PORT);
    }
    for (int i = 1; i <= 2; i++) {
      String name = "cp" + i;
      String address = net.add(name, 10 + i);
      Path dir = work.resolve(name);
      Files.createDirectories(dir);
      if (i > 1) {
        // every control plane shares the fleet's CA (as kubeadm's --upload-certs) and the
        // bootstrap admin token (one token of that name in the fleet: the last start's wins)
        for (String f : List.of("ca.crt", "ca.key", "admin.token")) {
          Files.copy(cp1.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      List<String> others = members.stream().filter(m -> !m.startsWith(address + ":")).toList();
      Member cp =
          new Member(
              name,
              address,
              new LabProcess(
                  name,
                  net.namespace(name),
                  List.of(
                      "control-plane",
                      "--kafka",
                      brokerAddress,
                      "--api-port",
                      Integer.toString(API_PORT),
                      "--cluster",
                      "lab-" + tag,
                      "--cluster-address",
                      address,
                      "--hazelcast-port",
                      Integer.toString(HAZELCAST_PORT),
                      "--hazelcast-member",
                      String.join(",", others),
                      "--lease-millis",
                      Long.toString(config.leaseMillis()),
                      "--cluster-cidr",
                      "10.238.0.0/16",
                      "--credentials-dir",
                      dir.toString()),
                  work.resolve("logs/" + name + ".log")));
      controlPlanes.add(cp);
      cp.process().start("ready: workload API", READY_MILLIS);
    }
    api =
        new LabApi(
            controlPlanes.stream().map(c -> "https://" + c.address() + ":" + API_PORT).toList(),
            cp1.resolve("ca.crt"),
            Files.readString(cp1.resolve("admin.token")).strip(),
            Duration.ofSeconds(3));
    LabApi.Answer join =
        api.send(
            0,
            "POST",
            "/v1/tokens",
            "{\"name\":\"lab-join\",\"role\":\"join\",\"ttlSeconds\":86400}");
    if (join.status() != 201) {
      throw new IOException("creating the lab's join token: " + join.status() + " " + join.body());
    }
    String joinToken = join.body().path("token").asText();

    for (int i = 1; i <= config.agents(); i++) {
      String name = "a" + i;
      String address = net.add(name, 20 + i);
      Path state = agentState(name);
      buildImage(state.resolve("images"));
      Member agent =
          new Member(
              name,
              address,
              new LabProcess(
                  name,
                  net.namespace(name),
                  List.of(
                      "agent",
                      "--node",
                      name,
                      "--kafka",
                      brokerAddress,
                      "--hazelcast",
                      String.join(",", members),
                      "--cluster",
                      "lab-" + tag,
                      "--state-dir",
                      state.toString(),
                      "--lease-millis",
                      Long.toString(config.leaseMillis()),
                      "--node-address",
                      address,
                      "--cni-conf-dir",
                      work.resolve("n/" + name + "/net.d").toString(),
                      "--bridge",
                      "bc" + tag + "p" + i,
                      "--join-token",
                      joinToken,
                      "--server",
                      "https://" + controlPlanes.get(0).address() + ":" + API_PORT,
                      "--ca-cert",
                      cp1.resolve("ca.crt").toString()),
                  work.resolve("logs/" + name + ".log")));
      agents.add(agent);
      agent.process().start("agent " + name + " ready", READY_MILLIS);
    }
    awaitNodesAlive(agents.size(), READY_MILLIS);
  }

  /** An agent's state directory: one root per agent, so each is taken down in its namespace. */
  private Path agentState(String agent) {
    return work.resolve("n").resolve(agent).resolve("agent-" + agent);
  }

  private static void buildImage(Path images) throws Exception {
    Path rootfs = Files.createTempDirectory("berth-chaos-rootfs-");
    try {
      new ImageBuilder(new ImageStore(images))
          .build(
              BusyboxRootfs.create(rootfs.resolve("r")),
              BuildOptions.of(List.of("sh")),
              ImageReference.parse(IMAGE));
    } finally {
      FileTrees.delete(rootfs);
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  /** Waits until the fleet's view shows {@code n} live nodes. */
  public void awaitNodesAlive(int n, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (aliveNodes().size() >= n) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IOException(
        "the lab's "
            + n
            + " nodes were not all alive in "
            + timeoutMillis
            + " ms: "
            + aliveNodes());
  }

  /** The nodes the fleet's view shows alive (either control plane's answer). */
  public List<String> aliveNodes() throws InterruptedException {
    LabApi.Answer a = api.sendAny("GET", "/v1/nodes", null);
    List<String> out = new ArrayList<>();
    if (a != null && a.ok()) {
      for (JsonNode n : a.body().path("items")) {
        if (n.path("alive").asBoolean()) {
          out.add(n.path("name").asText());
        }
      }
    }
    return out;
  }

  /** The control plane that holds the scheduler lease, as the first that answers says. */
  public Optional<Member> leader() throws InterruptedException {
    for (int i = 0; i < controlPlanes.size(); i++) {
      if (!controlPlanes.get(i).process().alive()) {
        continue;
      }
      try {
        LabApi.Answer a = api.send(i, "GET", "/v1/cluster", null);
        String holder = a.body().path("scheduler").path("holder").asText("");
        if (a.ok() && a.body().path("scheduler").path("valid").asBoolean()) {
          return controlPlanes.stream()
              .filter(c -> holder.endsWith("@" + c.address() + ":" + HAZELCAST_PORT))
              .findFirst();
        }
      } catch (IOException e) {
        // ask the next
      }
    }
    return Optional.empty();
  }

  public LabApi api() {
    return api;
  }

  public LabNetwork network() {
    return net;
  }

  public Member broker() {
    return broker;
  }

  public List<Member> controlPlanes() {
    return List.copyOf(controlPlanes);
  }

  public List<Member> agents() {
    return List.copyOf(agents);
  }

  public LabConfig config() {
    return config;
  }

  /** Where {@code agent}'s runtime keeps its containers' state (what the observer reads). */
  public Path runtimeDir(String agent) {
    return agentState(agent).resolve("runtime");
  }

  /** Starts a stopped or killed member again and waits until it is ready. */
  public void restart(Member m) throws Exception {
    String ready =
        m.name().equals("broker")
            ? "broker ready"
            : m.name().startsWith("cp") ? "ready: workload API" : "agent " + m.name() + " ready";
    m.process().start(ready, READY_MILLIS);
  }

  public Path work() {
    return work;
  }

  @Override
  public void close() throws Exception {
    List<Exception> failures = new ArrayList<>();
    List<Member> all = new ArrayList<>(agents);
    all.addAll(controlPlanes);
    if (broker != null) {
      all.add(broker);
    }
    for (Member m : all) {
      try {
        m.process().stop();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    // what the agents left running: `berth down` for each, in its own namespace (its rules are
    // there)
    for (Member a : agents) {
      if (!Files.isDirectory(agentState(a.name()))) {
        continue;
      }
      try {
        new LabProcess(
                "down-" + a.name(),
                net.namespace(a.name()),
                List.of("down", "--state-dir", agentState(a.name()).getParent().toString()),
                work.resolve("logs/down-" + a.name() + ".log"))
            .runToExit(120_000);
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (net != null) {
      try {
        net.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!config.keep()) {
      FileTrees.delete(work);
    }
    if (!failures.isEmpty()) {
      Exception e = new IOException("stopping the chaos lab in " + work);
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
