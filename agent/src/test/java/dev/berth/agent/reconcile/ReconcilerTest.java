package dev.berth.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.AgentLayout;
import dev.berth.agent.exec.ContainerExec;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.PullProgress;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.network.ContainerNetworks;
import dev.berth.agent.network.NetworkAttachment;
import dev.berth.agent.network.cni.CniPlugins;
import dev.berth.agent.security.ContainerPolicy;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.CapabilityChanges;
import dev.berth.model.fleet.ContainerPort;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.NetworkMode;
import dev.berth.model.fleet.ReplicaIdentity;
import dev.berth.model.fleet.RestartPolicy;
import dev.berth.model.fleet.SecurityContext;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.HttpGet;
import dev.berth.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against the real runtime: converges, is idempotent, honours restart policies,
 * adopts.
 */
class ReconcilerTest {
  static Path shared;
  static ImageStore images;
  static ExecutorService workers = Executors.newFixedThreadPool(2);
  Path state;
  ContainerRuntime runtime;
  Snapshotter snapshots;
  AtomicLong now = new AtomicLong(1_000_000);
  AgentLayout layout;
  String parent;
  ContainerNetworks networks;
  LeaseFence fence;
  String bridge = "brec" + ProcessHandle.current().pid() % 100_000;

  @BeforeAll
  static void buildImage() throws Exception {
    // Short names: the runtime's exec sockets live below the state directory, and a unix socket
    // path has 107 bytes at most.
    shared = Files.createTempDirectory("brec");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    images = new ImageStore(shared.resolve("images"));
    Path rootfs = BusyboxRootfs.create(shared.resolve("rootfs"));
    // Probes that try what container escapes start with (see escape-probe.c, exe-probe.c).
    for (String probe : List.of("escape-probe", "exe-probe")) {
      Path source = Path.of(ReconcilerTest.class.getResource("/probes/" + probe + ".c").toURI());
      Process gcc =
          new ProcessBuilder(
                  "gcc",
                  "-static",
                  "-O2",
                  "-o",
                  rootfs.resolve("bin/" + probe).toString(),
                  source.toString())
              .inheritIO()
              .start();
      assertEquals(0, gcc.waitFor(), "gcc built " + probe);
    }
    new ImageBuilder(images)
        .build(rootfs, BuildOptions.of(List.of("sh")), ImageReference.parse("local/busybox:1"));
  }

  @AfterAll
  static void removeImage() throws Exception {
    workers.shutdownNow();
    FileTrees.delete(shared);
  }

  @BeforeEach
  void setUp() throws Exception {
    state = Files.createTempDirectory(shared, "n");
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    layout = new AgentLayout(state, "test-agent-" + ProcessHandle.current().pid());
    parent = layout.cgroupParent();
    runtime = new ContainerRuntime(layout.runtime());
    fence = new LeaseFence(layout.leaseDeadline(), 900, LeaseFence::monotonicMillis);
    snapshots = new Snapshotter(images.content(), layout.snapshots(), true, workers);
    Path netd = Files.createDirectories(state.resolve("net.d"));
    Files.writeString(
        netd.resolve("10-test.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"rec\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\""
            + bridge
            + "\",\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
            + state.resolve("ipam")
            + "\",\"ranges\":[[{\"subnet\":\"10.213.95.0/24\"}]]}},"
            + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
    CniPlugins plugins = new CniPlugins(List.of(Path.of("/usr/lib/cni")), Duration.ofSeconds(30));
    networks =
        new ContainerNetworks(
            plugins, ContainerNetworks.firstNetwork(netd, plugins), layout.nodeName());
  }

  @AfterEach
  void tearDown() throws Exception {
    Reconciler r = reconciler();
    r.reconcile(List.of()); // everything goes
    r.releaseCgroupParent();
    for (Path dir : runtime.cgroups().containerView(parent).values()) {
      assertFalse(Files.exists(dir), "cgroup parent left: " + dir);
    }
    try (var addresses = Files.list(state.resolve("ipam/rec"))) {
      assertEquals(
          List.of(),
          addresses
              .map(Path::getFileName)
              .map(Path::toString)
              .filter(f -> f.startsWith("10."))
              .toList(),
          "every address freed");
    } catch (java.nio.file.NoSuchFileException none) {
      // no container was ever attached
    }
    new ProcessBuilder("ip", "link", "delete", bridge).start().waitFor();
  }

  private Reconciler reconciler() {
    return reconciler(ContainerPolicy.DEFAULT);
  }

  private Reconciler reconciler(ContainerPolicy policy) {
    return new Reconciler(
        layout,
        runtime,
        images,
        snapshots,
        new ImagePuller(new RegistryClient(Map.of()), images, workers),
        now::get,
        PullProgress.NONE,
        networks,
        fence,
        policy);
  }

  private static Assignment assignment(
      String id, String script, RestartPolicy policy, Integer limit) {
    return assignment(id, script, policy, limit, null, null);
  }

  private static Assignment assignment(
      String id,
      String script,
      RestartPolicy policy,
      Integer limit,
      NetworkMode network,
      List<ContainerPort> ports) {
    return new Assignment(
        id,
        "node-a",
        "web",
        1,
        0,
        "local/busybox:1",
        List.of("sh", "-c"),
        List.of(script),
        Map.of("GREETING", "hi"),
        500L,
        64L << 20,
        policy,
        limit,
        network,
        ports,
        null,
        null,
        null);
  }

  private String stateOf(String id) throws Exception {
    return runtime.state(id).status();
  }

  @Test
  void desiredContainersRunAndASecondPassChangesNothing() throws Exception {
    Reconciler r = reconciler();
    List<ContainerReport> first =
        r.reconcile(List.of(assignment("web-g1-r0", "sleep 30", RestartPolicy.Always, null)));
    assertEquals(ContainerState.RUNNING, first.get(0).state(), first.toString());
    int pid = runtime.state("web-g1-r0").pid();
    r.reconcile(List.of(assignment("web-g1-r0", "sleep 30", RestartPolicy.Always, null)));
    assertEquals(pid, runtime.state("web-g1-r0").pid(), "the same process, not a new one");
    Path cgroup = runtime.cgroups().containerView(parent + "/web-g1-r0").values().iterator().next();
    assertTrue(Files.isDirectory(cgroup), "in the agent's cgroup parent");
    Path memory = runtime.cgroups().containerView(parent + "/web-g1-r0").get("memory");
    if (memory != null) { // cgroup v1 here; the v2 driver's files are tested on its fake tree
      assertEquals(
          64L << 20,
          Long.parseLong(Files.readString(memory.resolve("memory.limit_in_bytes")).trim()),
          "the assignment's memory limit");
    }
  }

  @Test
  void aRunningContainerHasAnAddressThatAnswersAndReportsIt() throws Exception {
    Path www = Files.createDirectories(state.resolve("www"));
    Files.writeString(www.resolve("index.html"), "served from a container\n");
    Reconciler r = reconciler();
    ContainerReport report =
        r.reconcile(
                List.of(
                    assignment(
                        "web-g1-r0",
                        "echo served > /tmp/i && httpd -f -p 8080 -h /tmp",
                        RestartPolicy.Always,
                        null)))
            .get(0);
    assertEquals(ContainerState.RUNNING, report.state(), String.valueOf(report.message()));
    assertTrue(report.ip() != null && report.ip().startsWith("10.213.95."), report.ip());
    String body = HttpGet.retrying("http://" + report.ip() + ":8080/i");
    assertEquals("served\n", body, "the container answers at its address");
    runtime.delete("web-g1-r0", true); // as if it vanished while the agent was down
    r.reconcile(List.of());
    assertFalse(
        Files.exists(state.resolve("ipam/rec/" + report.ip())),
        "a container gone from the runtime still has its address freed");
  }

  @Test
  void aPublishedPortAnswersOnTheHostsLoopbackUntilTheContainerGoes() throws Exception {
    int hostPort = 30_000 + (int) (ProcessHandle.current().pid() % 10_000);
    Reconciler r = reconciler();
    Assignment web =
        assignment(
            "pub-g1-r0",
            "echo published > /tmp/i && httpd -f -p 8080 -h /tmp",
            RestartPolicy.Always,
            null,
            NetworkMode.DEFAULT,
            List.of(new ContainerPort("http", 8080, hostPort, null)));
    assertEquals(ContainerState.RUNNING, r.reconcile(List.of(web)).get(0).state());
    String body = HttpGet.retrying("http://127.0.0.1:" + hostPort + "/i");
    assertEquals("published\n", body);
    r.reconcile(List.of());
    assertFalse(iptablesNat().contains("pub-g1-r0"), "the port mapping is gone");
  }

  @Test
  void networkNoneGivesOnlyALoopbackThatIsUp() throws Exception {
    ContainerReport report =
        reconciler()
            .reconcile(
                List.of(
                    assignment(
                        "alone-g1-r0",
                        "sleep 30",
                        RestartPolicy.Always,
                        null,
                        NetworkMode.NONE,
                        null)))
            .get(0);
    assertEquals(ContainerState.RUNNING, report.state(), String.valueOf(report.message()));
    assertEquals(null, report.ip());
    NetworkAttachment a =
        ContainerNetworks.read(ContainerNetworks.recordIn(layout.bundle("alone-g1-r0")));
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                Path.of(a.netns()).getFileName().toString(),
                "ip",
                "-o",
                "link")
            .start();
    List<String> links = new String(p.getInputStream().readAllBytes()).lines().toList();
    p.waitFor();
    assertEquals(1, links.size(), links.toString());
    assertTrue(links.get(0).contains("lo:") && links.get(0).contains("UP"), links.get(0));
  }

  private static String iptablesNat() throws Exception {
    return Shell.run("iptables-save", "-t", "nat");
  }

  /** Renews the fence every 150 ms until closed, as a healthy agent does. */
  private AutoCloseable renewing() {
    java.util.concurrent.ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor();
    timer.scheduleAtFixedRate(
        () -> fence.renewed(LeaseFence.monotonicMillis(), LeaseFence.monotonicMillis()),
        0,
        150,
        TimeUnit.MILLISECONDS);
    return () -> {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    };
  }

  private Assignment unique(String id) {
    return edited(
        assignment(id, "sleep 600", RestartPolicy.Always, null, NetworkMode.NONE, null),
        ReplicaIdentity.UNIQUE,
        null,
        null);
  }

  /** {@code a} with another replica identity, pids limit and security context. */
  private static Assignment edited(
      Assignment a, ReplicaIdentity identity, Integer pids, SecurityContext sc) {
    return new Assignment(
        a.containerId(),
        a.node(),
        a.workload(),
        a.generation(),
        a.replica(),
        a.image(),
        a.command(),
        a.args(),
        a.env(),
        a.cpuLimitMillis(),
        a.memoryLimitBytes(),
        a.restartPolicy(),
        a.restartLimit(),
        a.network(),
        a.ports(),
        identity,
        pids,
        sc);
  }

  @Test
  void aUniqueReplicaStartsOnlyOnceTheLeaseIsHeldAndDiesWithItWithoutTheAgent() throws Exception {
    Reconciler r = reconciler();
    Assignment a = unique("solo-g1-r0");
    ContainerReport before = r.reconcile(List.of(a)).get(0);
    assertEquals(ContainerState.STOPPED, before.state(), "no lease held: not started");
    assertTrue(before.message().contains("unique replica"), before.message());
    assertEquals(List.of(), runtime.list());
    long leaseAndMargin = 900 + ReplicaIdentity.SAFETY_MARGIN_MILLIS;
    try (AutoCloseable renewals = renewing()) {
      Thread.sleep(leaseAndMargin / 2);
      assertEquals(
          ContainerState.STOPPED, r.reconcile(List.of(a)).get(0).state(), "held too short");
      Thread.sleep(leaseAndMargin / 2 + 300);
      assertEquals(ContainerState.RUNNING, r.reconcile(List.of(a)).get(0).state());
      Thread.sleep(1000); // longer than the deadline: renewals keep it running
      assertEquals("running", stateOf(a.containerId()));
    }
    long stopped = LeaseFence.monotonicMillis();
    // No reconcile pass: the monitor's watchdog alone kills it before the lease (900 ms) runs out.
    assertEquals(java.util.Optional.of(137), runtime.recordedExit(a.containerId(), 3000));
    long after = LeaseFence.monotonicMillis() - stopped;
    assertTrue(after < 900, "killed " + after + " ms after the last renewal");
    ContainerReport fenced = r.reconcile(List.of(a)).get(0);
    assertEquals(ContainerState.STOPPED, fenced.state(), "not restarted without the lease");
    assertTrue(fenced.message().contains("unique replica"), fenced.message());
  }

  @Test
  void fleetContainersAreRefusedTheSyscallsContainerEscapesStartWith() throws Exception {
    Assignment a =
        assignment(
            "probe-g1-r0",
            "escape-probe; sleep 600",
            RestartPolicy.Never,
            null,
            NetworkMode.NONE,
            null);
    assertEquals(ContainerState.RUNNING, reconciler().reconcile(List.of(a)).get(0).state());
    Path log = state.resolve("bundles/probe-g1-r0/logs/stdout.log");
    String out = "";
    for (int i = 0; i < 100 && !out.contains("getpid"); i++) {
      Thread.sleep(50);
      out = Files.exists(log) ? Files.readString(log) : "";
    }
    // The default filter refuses each (EPERM); an ordinary call still works.
    for (String call : List.of("unshare", "mount", "keyctl", "bpf", "ptrace")) {
      assertTrue(out.contains(call + " EPERM"), call + " refused: " + out);
    }
    assertTrue(out.contains("getpid ok"), out);
  }

  @Test
  void eachFleetContainerIsRootInItsOwnUserNamespaceAndAnOrdinaryHostIdOutside() throws Exception {
    String script =
        "echo uid=$(id -u); cat /proc/self/uid_map; echo x > /etc/written && echo rootfs-writable;"
            + " nc -l -p 80 & sleep 0.3; netstat -ltn | grep -q ':80 ' && echo bound-80;"
            + " sh -c 'echo via-proc >> /proc/1/fd/1'; echo done; exec sleep 600";
    Assignment a = assignment("userns-g1-r0", script, RestartPolicy.Never, null);
    Assignment b =
        assignment("userns2-g1-r0", "echo done; exec sleep 600", RestartPolicy.Never, null);
    Reconciler r = reconciler();
    r.reconcile(List.of(a, b))
        .forEach(c -> assertEquals(ContainerState.RUNNING, c.state(), c.toString()));
    String out = awaitLog("userns-g1-r0", "done");
    assertTrue(out.contains("uid=0"), "root inside: " + out);
    assertTrue(out.contains("rootfs-writable"), "its root owns its rootfs: " + out);
    assertTrue(out.contains("via-proc"), "its log reopened as /proc/1/fd/1: " + out);
    assertTrue(out.contains("bound-80"), "and may bind port 80: " + out);
    String[] map =
        out.lines()
            .filter(l -> l.trim().startsWith("0 "))
            .findFirst()
            .orElseThrow()
            .trim()
            .split("\\s+");
    long host = Long.parseLong(map[1]);
    assertTrue(host >= 1L << 20, "an unprivileged range: " + out);
    assertEquals("65536", map[2]);
    // outside: the container's processes and the files it wrote belong to that ordinary id
    long pid = runtime.state("userns-g1-r0").pid();
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    assertTrue(status.contains("Uid:\t" + host + "\t"), status);
    Path written = state.resolve("snapshots/containers/userns-g1-r0/upper/etc/written");
    assertEquals(host, ((Number) Files.getAttribute(written, "unix:uid")).longValue());
    // the image's files on disk are still root's: shared by every container, mapped, never chowned
    awaitLog("userns2-g1-r0", "done");
    long otherPid = runtime.state("userns2-g1-r0").pid();
    String other = Files.readString(Path.of("/proc/" + otherPid + "/uid_map")).trim();
    assertTrue(
        !other.split("\\s+")[1].equals(map[1]), "another container, another range: " + other);
    r.reconcile(List.of());
    assertEquals(List.of(), runtime.list());
  }

  private static Assignment withPids(Assignment a, int pids) {
    return edited(a, a.replicaIdentity(), pids, a.securityContext());
  }

  private Path pidsDir(String id) {
    Map<String, Path> view = runtime.cgroups().containerView(parent + "/" + id);
    return view.containsKey("pids") ? view.get("pids") : view.values().iterator().next();
  }

  @Test
  void everyFleetContainerHasAPidsLimitSoAForkBombStaysInsideIt() throws Exception {
    Assignment plain =
        assignment("plain-g1-r0", "sleep 600", RestartPolicy.Never, null, NetworkMode.NONE, null);
    Assignment bomb =
        withPids(
            assignment(
                "bomb-g1-r0",
                // the forking subshell dies when a fork fails; the container's shell then becomes
                // a sleep without forking
                "(i=0; while [ $i -lt 100 ]; do sleep 600 & i=$((i+1)); done); exec sleep 600",
                RestartPolicy.Never,
                null,
                NetworkMode.NONE,
                null),
            20);
    Reconciler r = reconciler();
    List<ContainerReport> reports = r.reconcile(List.of(plain, bomb));
    assertEquals(ContainerState.RUNNING, reports.get(0).state(), reports.get(0).message());
    assertEquals(ContainerState.RUNNING, reports.get(1).state(), reports.get(1).message());
    assertEquals("2048", Files.readString(pidsDir("plain-g1-r0").resolve("pids.max")).trim());
    assertEquals("20", Files.readString(pidsDir("bomb-g1-r0").resolve("pids.max")).trim());
    Path stderr = state.resolve("bundles/bomb-g1-r0/logs/stderr.log");
    for (int i = 0; i < 100 && !Files.readString(stderr).contains("can't fork"); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.readString(stderr).contains("can't fork"), Files.readString(stderr));
    int count = Files.readAllLines(pidsDir("bomb-g1-r0").resolve("cgroup.procs")).size();
    assertTrue(count >= 15 && count <= 20, "held at its limit of 20: " + count + " processes");
    assertEquals("running", runtime.state("bomb-g1-r0").status(), "and it runs on");

    ContainerReport tooMany =
        r.reconcile(
                List.of(
                    plain,
                    bomb,
                    withPids(
                        assignment(
                            "many-g1-r0",
                            "true",
                            RestartPolicy.Never,
                            null,
                            NetworkMode.NONE,
                            null),
                        100_000)))
            .get(2);
    assertEquals(ContainerState.FAILED, tooMany.state());
    assertTrue(tooMany.message().contains("more than this node allows"), tooMany.message());
  }

  private String awaitLog(String id, String last) throws Exception {
    Path log = state.resolve("bundles/" + id + "/logs/stdout.log");
    String out = "";
    for (int i = 0; i < 100 && !out.contains(last); i++) {
      Thread.sleep(50);
      out = Files.exists(log) ? Files.readString(log) : "";
    }
    return out;
  }

  /** The hex capability mask of {@code names}, as /proc/PID/status shows it. */
  private static String mask(List<Integer> bits) {
    long m = 0;
    for (int b : bits) {
      m |= 1L << b;
    }
    return String.format("%016x", m);
  }

  private static final String STATUS =
      "grep -E '^Cap(Inh|Eff|Bnd)' /proc/self/status; id -u; touch /written 2>&1; echo touched=$?;"
          + " chown 1:1 /tmp 2>&1; echo chown=$?; echo done; sleep 600";

  @Test
  void fleetContainersGetDockersCapabilitiesAndTheirSecurityContextWithinTheNodesPolicy()
      throws Exception {
    Reconciler r = reconciler();
    Assignment plain =
        assignment("caps-g1-r0", STATUS, RestartPolicy.Never, null, NetworkMode.NONE, null);
    Assignment locked =
        edited(
            assignment("locked-g1-r0", STATUS, RestartPolicy.Never, null, NetworkMode.NONE, null),
            null,
            null,
            new SecurityContext(new CapabilityChanges(null, List.of("ALL")), 1000L, 1000L, true));
    Assignment greedy =
        edited(
            assignment("greedy-g1-r0", "true", RestartPolicy.Never, null, NetworkMode.NONE, null),
            null,
            null,
            new SecurityContext(
                new CapabilityChanges(List.of("SYS_ADMIN"), null), null, null, null));
    List<ContainerReport> reports = r.reconcile(List.of(plain, locked, greedy));
    // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW
    // SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
    String docker = mask(List.of(0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31));
    String out = awaitLog("caps-g1-r0", "done");
    assertTrue(out.contains("CapInh:\t0000000000000000"), out);
    assertTrue(out.contains("CapEff:\t" + docker), out);
    assertTrue(out.contains("CapBnd:\t" + docker), out);
    assertTrue(out.contains("touched=0") && out.contains("chown=0"), "root may chown: " + out);

    String none = awaitLog("locked-g1-r0", "done");
    assertTrue(none.contains("CapEff:\t0000000000000000"), none);
    assertTrue(none.contains("CapBnd:\t0000000000000000"), none);
    assertTrue(none.contains("\n1000\n"), "runs as 1000: " + none);
    assertTrue(none.contains("Read-only file system") && none.contains("touched=1"), none);
    assertTrue(none.contains("chown=1"), none);

    assertEquals(ContainerState.FAILED, reports.get(2).state());
    assertTrue(
        reports.get(2).message().contains("CAP_SYS_ADMIN is not allowed on this node"),
        reports.get(2).message());
  }

  @Test
  void aPrivilegedContainerRunsOnlyWhereTheNodeAllowsItAndThenHasTheHostsDevicesAndEveryCapability()
      throws Exception {
    // A host block device this process may open (the sandbox may refuse its disk itself): a
    // privileged container must open it too; an ordinary one has no such node.
    String disk = null;
    try (var nodes = Files.list(Path.of("/dev"))) {
      for (Path n : nodes.sorted().toList()) {
        if (disk == null
            && !Files.isDirectory(n)
            && !Files.isSymbolicLink(n)
            && ((Number) Files.getAttribute(n, "unix:mode")).intValue() / 010000 == 06) {
          try (var in = Files.newInputStream(n)) {
            disk = n.toString();
          } catch (java.io.IOException refused) {
            // not this one
          }
        }
      }
    }
    String script =
        "grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/self/status; cat /proc/self/uid_map;"
            + (disk == null
                ? ""
                : " dd if=" + disk + " of=/dev/null bs=512 count=1 2>&1; echo disk=$?;")
            + " mkdir -p /mnt/t && mount -t tmpfs t /mnt/t; echo mount=$?;"
            + " grep -c ' /proc/sys ' /proc/self/mountinfo; echo done; sleep 600";
    SecurityContext privileged = new SecurityContext(null, null, null, null, null, true);
    Assignment refused =
        edited(
            assignment("priv-g1-r0", script, RestartPolicy.Never, null, NetworkMode.NONE, null),
            null,
            null,
            privileged);
    ContainerReport report = reconciler().reconcile(List.of(refused)).get(0);
    assertEquals(ContainerState.FAILED, report.state());
    assertTrue(
        report.message().contains("securityContext.privileged: this node does not run privileged"),
        report.message());
    reconciler().reconcile(List.of());

    Reconciler allowing = reconciler(ContainerPolicy.DEFAULT.allowing(false, true));
    ContainerReport ran = allowing.reconcile(List.of(refused)).get(0);
    assertEquals(ContainerState.RUNNING, ran.state(), ran.message());
    String out = awaitLog("priv-g1-r0", "done");
    String agents =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("CapPrm:"))
            .findFirst()
            .orElseThrow()
            .substring("CapPrm:".length())
            .trim();
    assertTrue(out.contains("CapEff:\t" + agents), "every capability the agent has: " + out);
    assertTrue(out.contains("Seccomp:\t0") && out.contains("NoNewPrivs:\t0"), out);
    assertTrue(out.replaceAll("[ \t]+", " ").contains(" 0 0 4294967295"), "the host's ids: " + out);
    if (disk != null) {
      assertTrue(out.contains("disk=0"), "the host's block device " + disk + " opens: " + out);
    }
    assertTrue(out.contains("mount=0"), out);
    assertTrue(out.contains("\n0\ndone"), "/proc/sys is not read-only: " + out);
    allowing.reconcile(List.of());
  }

  @Test
  void aContainerGetsNoHandleOnTheRuntimesBinaryWhileAProcessIsExecdIntoIt() throws Exception {
    // CVE-2019-5736 began with /proc/PID/exe of runc's exec helper, opened from inside the
    // container.
    Assignment a =
        assignment(
            "exe-g1-r0",
            "exe-probe 6; sleep 600",
            RestartPolicy.Never,
            null,
            NetworkMode.NONE,
            null);
    assertEquals(ContainerState.RUNNING, reconciler().reconcile(List.of(a)).get(0).state());
    ContainerExec exec = new ContainerExec(runtime);
    long until = System.currentTimeMillis() + 4000;
    int execs = 0;
    while (System.currentTimeMillis() < until) {
      assertEquals(
          0, exec.run("exe-g1-r0", List.of("sleep", "0.05"), Duration.ofSeconds(10)).exitCode());
      execs++;
    }
    String out = "";
    for (int i = 0; i < 50 && !out.contains("opened"); i++) {
      out = awaitLog("exe-g1-r0", "opened");
    }
    int seen = Integer.parseInt(out.replaceAll("(?s).*seen (\\d+).*", "$1"));
    assertTrue(seen >= execs / 2, "the probe saw the exec'd processes (" + execs + "): " + out);
    assertTrue(out.contains("opened 0"), "it opened the runtime's binary: " + out);
  }

  @Test
  void fromInsideAFleetContainerTheHostsDiskCgroupsAndDescriptorsAreOutOfReach() throws Exception {
    // The host's root disk, as a device number: a container may mknod it (CAP_MKNOD), never open
    // it.
    long dev = (long) Files.getAttribute(Path.of("/"), "unix:dev");
    long major = (dev >> 8) & 0xfff;
    long minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    String script =
        "mknod /tmp/disk b "
            + major
            + " "
            + minor
            + " 2>&1; dd if=/tmp/disk of=/dev/null bs=512 count=1 2>&1; echo disk=$?;"
            + " echo 1 > /sys/fs/cgroup/pids/pids.max 2>&1; echo cgroup=$?;"
            + " for f in /sys/fs/cgroup/*/release_agent; do [ -e \"$f\" ] && echo x > \"$f\" 2>&1"
            + " && echo release_agent=written; done;"
            + " mount -t cgroup -o memory none /mnt 2>&1; echo cgmount=$?;"
            // in a child shell: busybox runs ls inside pid 1, which would hold a saved stdout
            + " sh -c 'ls /proc/1/fd > /tmp/fds'; echo fds $(cat /tmp/fds);"
            + " for f in /proc/1/fd/*; do [ -d \"$f\" ] && echo leaked-dir=$f; done;"
            + " echo done; sleep 600";
    Assignment a =
        assignment("reach-g1-r0", script, RestartPolicy.Never, null, NetworkMode.NONE, null);
    assertEquals(ContainerState.RUNNING, reconciler().reconcile(List.of(a)).get(0).state());
    String out =
        awaitLog("reach-g1-r0", "done")
            + Files.readString(state.resolve("bundles/reach-g1-r0/logs/stderr.log"));
    assertTrue(out.contains("Operation not permitted") && out.contains("disk=1"), out);
    assertTrue(out.contains("cgroup=1"), "the cgroup tree is read-only: " + out);
    assertFalse(out.contains("release_agent=written"), out);
    assertTrue(out.contains("cgmount=1"), "no cgroup mount (CVE-2022-0492): " + out);
    // CVE-2024-21626: no descriptor of the runtime's (a host directory) reaches the container.
    assertTrue(out.contains("fds 0 1 2\n"), out);
    assertFalse(out.contains("leaked-dir"), out);
  }

  @Test
  void aSharedReplicaIgnoresTheLease() throws Exception {
    Assignment a =
        assignment("shared-g1-r0", "sleep 600", RestartPolicy.Always, null, NetworkMode.NONE, null);
    assertEquals(ContainerState.RUNNING, reconciler().reconcile(List.of(a)).get(0).state());
  }

  @Test
  void whatIsNoLongerDesiredIsRemovedWithItsRootfs() throws Exception {
    Reconciler r = reconciler();
    r.reconcile(List.of(assignment("web-g1-r0", "sleep 30", RestartPolicy.Always, null)));
    r.reconcile(List.of());
    assertEquals(List.of(), runtime.list());
    assertFalse(Files.exists(state.resolve("snapshots/containers/web-g1-r0")));
    assertFalse(Files.exists(state.resolve("bundles/web-g1-r0")));
  }

  @Test
  void aMountedRootfsWhoseBundleIsGoneIsUnmountedAndRemoved() throws Exception {
    Reconciler r = reconciler();
    r.reconcile(
        List.of(
            assignment(
                "web-g1-r0", "sleep 30", RestartPolicy.Always, null, NetworkMode.NONE, null)));
    Path rootfs = state.resolve("snapshots/containers/web-g1-r0/rootfs");
    // a removal cut short after the container and its bundle went, the rootfs still mounted
    runtime.delete("web-g1-r0", true);
    FileTrees.delete(layout.bundles().resolve("web-g1-r0"));
    assertTrue(Files.readString(Path.of("/proc/mounts")).contains(" " + rootfs + " "));
    r.reconcile(List.of());
    assertFalse(Files.readString(Path.of("/proc/mounts")).contains(" " + rootfs + " "));
    assertFalse(Files.exists(rootfs.getParent()));
  }

  @Test
  void aCreateCutShortByAnAgentCrashLeavesNoCgroupBehind() throws Exception {
    // What an agent killed between the cgroup's creation and the runtime's state leaves: a bundle
    // and an empty cgroup that no state names.
    Files.createDirectories(layout.bundles().resolve("web-g1-r0"));
    runtime.cgroups().create(parent + "/web-g1-r0", null);
    Path left = runtime.cgroups().containerView(parent + "/web-g1-r0").values().iterator().next();
    assertTrue(Files.isDirectory(left), left.toString());
    reconciler().reconcile(List.of());
    assertFalse(Files.exists(left), "the left cgroup is removed with the bundle");
    assertFalse(Files.exists(layout.bundles().resolve("web-g1-r0")));
  }

  @Test
  void aContainerProcessLeftByAnAgentKilledBetweenGoAndItsStateIsKilledWithItsCgroup()
      throws Exception {
    // What an agent SIGKILLed after berth-init's "go" and before the runtime's state leaves: the
    // container's process in its cgroup, waiting on the exec fifo, and no state that names it.
    Files.createDirectories(layout.bundles().resolve("web-g1-r0"));
    var cgroup = runtime.cgroups().create(parent + "/web-g1-r0", null);
    Process orphan = new ProcessBuilder("sleep", "600").start();
    try {
      cgroup.addProcess((int) orphan.pid());
      reconciler().reconcile(List.of());
      assertTrue(
          orphan.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the process is killed");
      Path left = runtime.cgroups().containerView(parent + "/web-g1-r0").values().iterator().next();
      assertFalse(Files.exists(left), "its cgroup is removed");
      assertFalse(Files.exists(layout.bundles().resolve("web-g1-r0")), "and its bundle");
    } finally {
      orphan.destroyForcibly();
    }
  }

  @Test
  void onFailureRestartsWithBackOffUpToItsLimit() throws Exception {
    Reconciler r = reconciler();
    Assignment failing =
        assignment("job-g1-r0", "echo $GREETING; exit 3", RestartPolicy.OnFailure, 2);
    r.reconcile(List.of(failing));
    awaitStopped("job-g1-r0");
    ContainerReport waiting = r.reconcile(List.of(failing)).get(0);
    assertEquals(ContainerState.STOPPED, waiting.state());
    assertTrue(waiting.message().startsWith("restarting in"), "back-off first: " + waiting);
    now.addAndGet(1000);
    assertEquals(1, r.reconcile(List.of(failing)).get(0).restarts());
    awaitStopped("job-g1-r0");
    r.reconcile(List.of(failing));
    now.addAndGet(2000); // the second back-off doubles
    assertEquals(2, r.reconcile(List.of(failing)).get(0).restarts());
    awaitStopped("job-g1-r0");
    now.addAndGet(60_000);
    ContainerReport done = r.reconcile(List.of(failing)).get(0);
    assertEquals(ContainerState.STOPPED, done.state());
    assertEquals(3, done.exitCode());
    assertEquals(2, done.restarts(), "the limit holds");
    String log = Files.readString(state.resolve("bundles/job-g1-r0/logs/stdout.log"));
    assertEquals("hi\nhi\nhi\n", log, "each run's output is kept, env applied");
  }

  @Test
  void aContainerWhoseMonitorDiedIsUnknownNotSuccessAndRestartsOnFailure() throws Exception {
    Assignment a = assignment("lost-g1-r0", "sleep 600", RestartPolicy.OnFailure, 3);
    reconciler().reconcile(List.of(a));
    int pid = runtime.state("lost-g1-r0").pid();
    // The monitor (the container's parent) dies first, then the container: no exit is recorded.
    ProcessHandle monitor = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow();
    monitor.destroyForcibly();
    monitor.onExit().get(10, TimeUnit.SECONDS);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    awaitStopped("lost-g1-r0");
    Reconciler fresh = reconciler();
    ContainerReport r = fresh.reconcile(List.of(a)).get(0);
    assertEquals(ContainerState.UNKNOWN, r.state(), String.valueOf(r));
    assertTrue(r.message().contains("exit code unknown") && r.message().contains("restarting in"));
    now.addAndGet(61_000);
    ContainerReport restarted = fresh.reconcile(List.of(a)).get(0);
    assertEquals(ContainerState.RUNNING, restarted.state(), String.valueOf(restarted));
    assertEquals(1, restarted.restarts());
    assertTrue(runtime.state("lost-g1-r0").pid() != pid, "a new process");
  }

  @Test
  void neverLeavesAStoppedContainerAndAlwaysRestartsEvenAfterSuccess() throws Exception {
    Reconciler r = reconciler();
    Assignment once = assignment("once-g1-r0", "true", RestartPolicy.Never, null);
    Assignment always = assignment("loop-g1-r0", "true", RestartPolicy.Always, null);
    r.reconcile(List.of(once, always));
    awaitStopped("once-g1-r0");
    awaitStopped("loop-g1-r0");
    r.reconcile(List.of(once, always));
    now.addAndGet(1000);
    List<ContainerReport> after = r.reconcile(List.of(once, always));
    assertEquals(0, after.get(0).restarts());
    assertEquals(ContainerState.STOPPED, after.get(0).state());
    assertEquals(1, after.get(1).restarts());
  }

  @Test
  void aRestartedAgentAdoptsItsContainersWithoutDuplicatesAndChecksTheirNetwork() throws Exception {
    reconciler()
        .reconcile(List.of(assignment("web-g1-r0", "sleep 30", RestartPolicy.Always, null)));
    int pid = runtime.state("web-g1-r0").pid();
    // A new agent process: new runtime object on the same state, new reconciler.
    runtime = new ContainerRuntime(state.resolve("runtime"));
    List<ContainerReport> adopted =
        reconciler()
            .reconcile(List.of(assignment("web-g1-r0", "sleep 30", RestartPolicy.Always, null)));
    assertEquals(ContainerState.RUNNING, adopted.get(0).state());
    assertEquals(null, adopted.get(0).message(), "its network checked out");
    assertEquals(pid, runtime.state("web-g1-r0").pid());
    assertEquals(1, runtime.list().size());
    String ip = adopted.get(0).ip();
    assertTrue(ip != null && ip.startsWith("10.213.95."), "kept its address: " + ip);

    // Its interface is gone while no agent ran: the next agent's CHECK says so in its status.
    Shell.run(
        "ip",
        "netns",
        "exec",
        "berth-" + layout.nodeName() + "-web-g1-r0",
        "ip",
        "link",
        "delete",
        "eth0");
    runtime = new ContainerRuntime(state.resolve("runtime"));
    ContainerReport broken =
        reconciler()
            .reconcile(List.of(assignment("web-g1-r0", "sleep 30", RestartPolicy.Always, null)))
            .get(0);
    assertEquals(ContainerState.RUNNING, broken.state());
    assertTrue(
        broken.message() != null
            && broken.message().startsWith("network check failed")
            && broken.message().contains("bridge"),
        String.valueOf(broken.message()));
  }

  /** A config list on {@code bridge} over {@code subnet}, or of the one plugin {@code type}. */
  private Path netd(String dir, String pluginsJson) throws Exception {
    Path netd = Files.createDirectories(state.resolve(dir));
    Files.writeString(
        netd.resolve("10-test.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"rec\",\"plugins\":[" + pluginsJson + "]}");
    return netd;
  }

  private boolean pinned(String containerId) throws Exception {
    try (var pins = Files.list(Path.of("/run/netns"))) {
      return pins.anyMatch(
          p -> p.getFileName().toString().equals("berth-" + layout.nodeName() + "-" + containerId));
    }
  }

  @Test
  void aNetworkThatFailsIsReportedNamingThePluginAndTheOthersKeepRunning() throws Exception {
    Path pluginDir = Files.createDirectories(state.resolve("plugins"));
    Path hang = pluginDir.resolve("hang");
    Files.writeString(hang, "#!/bin/sh\ncase \"$CNI_COMMAND\" in ADD) sleep 600;; esac\n");
    Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String plugin : List.of("bridge", "host-local", "loopback")) {
      Files.copy(Path.of("/usr/lib/cni", plugin), pluginDir.resolve(plugin));
    }
    CniPlugins plugins = new CniPlugins(List.of(pluginDir), Duration.ofSeconds(1));
    Assignment first = assignment("first-g1-r0", "sleep 600", RestartPolicy.Always, null);

    // An exhausted subnet: a /30 has one address beside its gateway.
    Path slash30 =
        netd(
            "net.d-30",
            "{\"type\":\"bridge\",\"bridge\":\""
                + bridge
                + "\",\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
                + state.resolve("ipam")
                + "\",\"ranges\":[[{\"subnet\":\"10.213.96.0/30\"}]]}}");
    networks =
        new ContainerNetworks(
            plugins, ContainerNetworks.firstNetwork(slash30, plugins), layout.nodeName());
    List<ContainerReport> reports =
        reconciler()
            .reconcile(
                List.of(
                    first, assignment("second-g1-r0", "sleep 600", RestartPolicy.Always, null)));
    assertEquals(ContainerState.RUNNING, reports.get(0).state());
    assertEquals(ContainerState.FAILED, reports.get(1).state());
    String full = reports.get(1).message();
    assertTrue(full.contains("bridge") && full.contains("no IP addresses available"), full);
    assertFalse(pinned("second-g1-r0"), "not half attached");
    assertEquals(List.of("first-g1-r0"), runtime.list().stream().map(s -> s.id()).toList());

    // A plugin that hangs: killed at the limit, named, the running container untouched.
    ContainerNetworks onSlash30 = networks;
    networks =
        new ContainerNetworks(
            plugins,
            ContainerNetworks.firstNetwork(netd("net.d-hang", "{\"type\":\"hang\"}"), plugins),
            layout.nodeName());
    reports =
        reconciler()
            .reconcile(
                List.of(first, assignment("third-g1-r0", "sleep 600", RestartPolicy.Always, null)));
    assertEquals(ContainerState.RUNNING, reports.get(0).state());
    assertEquals(ContainerState.FAILED, reports.get(1).state());
    String hung = reports.get(1).message();
    assertTrue(hung.contains("hang") && hung.contains("did not finish within 1 s"), hung);
    assertFalse(pinned("third-g1-r0"), "not half attached");

    // A plugin binary removed since the agent started: named, with the package that has it.
    networks = onSlash30;
    reconciler().reconcile(List.of()); // frees the /30's one address
    Files.delete(pluginDir.resolve("bridge"));
    reports =
        reconciler()
            .reconcile(
                List.of(assignment("fourth-g1-r0", "sleep 600", RestartPolicy.Always, null)));
    String missing = reports.get(0).message();
    assertEquals(ContainerState.FAILED, reports.get(0).state());
    assertTrue(
        missing.contains("bridge") && missing.contains("containernetworking-plugins"), missing);
    assertFalse(pinned("fourth-g1-r0"), "not half attached");
    Files.copy(Path.of("/usr/lib/cni/bridge"), pluginDir.resolve("bridge"));
  }

  @Test
  void anImageThatCannotBeHadIsReportedAndLeavesNothing() {
    Assignment bad =
        new Assignment(
            "bad-g1-r0",
            "node-a",
            "bad",
            1,
            0,
            "127.0.0.1:1/nothing/here:1",
            null,
            null,
            null,
            null,
            null,
            RestartPolicy.Always,
            null,
            null,
            null,
            null,
            null,
            null);
    ContainerReport report = reconciler().reconcile(List.of(bad)).get(0);
    assertEquals(ContainerState.FAILED, report.state());
    assertTrue(report.message().contains("127.0.0.1:1"), report.message());
    assertEquals(List.of(), runtime.list());
  }

  private void awaitStopped(String id) throws Exception {
    for (int i = 0; i < 500 && !stateOf(id).equals("stopped"); i++) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    assertEquals("stopped", stateOf(id));
  }
}
