package dev.berth.agent.network.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.network.CniResult;
import dev.berth.model.network.PortMapping;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.HttpGet;
import dev.berth.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's CNI plugins (bridge, host-local, portmap) run by Berth over network namespaces this test
 * creates: a container gets an address on a bridge, is reachable at it and through a published port
 * on the host's loopback, and DEL frees the address, the veth and the iptables rules. Bad configs,
 * missing plugins, an exhausted subnet and a hanging plugin give errors naming the cause.
 */
class CniNetworkTest {
  private static final Path PLUGINS = Path.of("/usr/lib/cni");
  private final String tag = Long.toString(ProcessHandle.current().pid() % 100_000);
  private final String bridge = "bcni" + tag;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> servers = new ArrayList<>();
  private final List<Runnable> detach = new ArrayList<>(); // DELs still owed if a test fails midway
  private Path work;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("berth-cni-");
  }

  @AfterEach
  void tearDown() throws Exception {
    detach.forEach(Runnable::run);
    for (Process p : servers) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    for (String ns : namespaces) {
      Shell.run("ip", "netns", "delete", ns);
    }
    Shell.run("ip", "link", "delete", bridge);
    FileTrees.delete(work);
  }

  private String netns(String name) throws Exception {
    String ns = "berth-cni-" + tag + "-" + name;
    Shell.run("ip", "netns", "add", ns);
    namespaces.add(ns);
    return "/var/run/netns/" + ns;
  }

  private Path conflist(String subnet, boolean portmap) throws IOException {
    String plugins =
        "{\"type\":\"bridge\",\"bridge\":\""
            + bridge
            + "\",\"isGateway\":true,\"ipMasq\":false,\"ipam\":{\"type\":\"host-local\","
            + "\"dataDir\":\""
            + work.resolve("ipam")
            + "\",\"ranges\":[[{\"subnet\":\""
            + subnet
            + "\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}"
            + (portmap ? ",{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}" : "");
    return Files.writeString(
        work.resolve("10-test.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"test" + tag + "\",\"plugins\":[" + plugins + "]}");
  }

  private CniNetwork network(Path conflist) throws CniException {
    return new CniNetwork(
        CniConfigList.read(conflist), new CniPlugins(List.of(PLUGINS), Duration.ofSeconds(10)));
  }

  @Test
  void aContainerGetsAnAddressOnTheBridgeIsReachableAndDelFreesEverything() throws Exception {
    CniNetwork net = network(conflist("10.213.77.0/24", true));
    String ns = netns("a");
    CniPlugins.Call call = new CniPlugins.Call("ctr-" + tag, ns, "eth0", null);
    int hostPort = 20_000 + (int) (ProcessHandle.current().pid() % 10_000);
    CniNetwork.RuntimeConfig rt =
        new CniNetwork.RuntimeConfig(List.of(new PortMapping(hostPort, 8080, "tcp", null)));

    CniResult result = net.add(call, rt);
    owe(net, call, rt, result);
    String ip = result.containerIp("eth0").orElseThrow().host();
    assertTrue(ip.startsWith("10.213.77."), ip);
    assertTrue(
        Shell.run("ip", "netns", "exec", ns.substring(ns.lastIndexOf('/') + 1), "ip", "-o", "addr")
            .contains(ip + "/24"),
        "the address is on eth0 inside the namespace");
    // No CHECK here: Debian's portmap 1.1.1 fails CHECK on IPv4-only attachments
    // (containernetworking/plugins#819); CHECK is tested on a bridge-only chain below.

    Path www = Files.createDirectories(work.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello from the netns\n");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    servers.add(
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns.substring(ns.lastIndexOf('/') + 1),
                "busybox",
                "httpd",
                "-f",
                "-p",
                "8080",
                "-h",
                www.toString())
            .start());
    assertEquals(
        "hello from the netns\n", HttpGet.retrying("http://" + ip + ":8080/"), "by address");
    assertEquals(
        "hello from the netns\n",
        HttpGet.retrying("http://127.0.0.1:" + hostPort + "/"),
        "through the published port on the host's loopback");
    assertTrue(
        Shell.run("iptables-save", "-t", "nat").contains(call.containerId()), "portmap's rules");

    net.del(call, rt, result);
    assertFalse(Files.exists(work.resolve("ipam/test" + tag + "/" + ip)), "the address is free");
    assertEquals("", Shell.run("ip", "link", "show", "master", bridge).strip(), "no veth left");
    assertFalse(
        Shell.run("iptables-save", "-t", "nat").contains(call.containerId()), "no rule left");
    net.del(call, rt, result); // DEL twice is fine, as the spec demands
  }

  private void owe(CniNetwork net, CniPlugins.Call call, CniNetwork.RuntimeConfig rt, CniResult r) {
    detach.add(
        () -> {
          try {
            net.del(call, rt, r);
          } catch (CniException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void anExhaustedSubnetIsAnErrorNamingThePluginAndLeavesNothingHalfAttached() throws Exception {
    CniNetwork net = network(conflist("10.213.78.0/30", false)); // room for one container
    String first = netns("first");
    CniPlugins.Call one = new CniPlugins.Call("one-" + tag, first, "eth0", null);
    CniResult ok = net.add(one, CniNetwork.RuntimeConfig.NONE);
    owe(net, one, CniNetwork.RuntimeConfig.NONE, ok);
    CniPlugins.Call two = new CniPlugins.Call("two-" + tag, netns("second"), "eth0", null);
    CniException e =
        assertThrows(CniException.class, () -> net.add(two, CniNetwork.RuntimeConfig.NONE));
    assertTrue(e.getMessage().contains("plugin bridge"), e.getMessage());
    assertTrue(e.getMessage().contains("no IP addresses available"), e.getMessage());
    assertEquals(
        1,
        Shell.run("ip", "-o", "link", "show", "master", bridge).lines().count(),
        "only the first container's veth: the failed ADD was undone");
    net.check(one, CniNetwork.RuntimeConfig.NONE, ok);
    net.del(one, CniNetwork.RuntimeConfig.NONE, ok);
  }

  @Test
  void aMissingPluginIsNamedWithThePackageThatHasIt() throws Exception {
    Path conf =
        Files.writeString(
            work.resolve("x.conflist"),
            "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[{\"type\":\"no-such-plugin\"}]}");
    CniException e = assertThrows(CniException.class, () -> network(conf).requirePlugins());
    assertTrue(e.getMessage().contains("\"no-such-plugin\" not found"), e.getMessage());
    assertTrue(e.getMessage().contains("containernetworking-plugins"), e.getMessage());
  }

  @Test
  void brokenConfigsAreRefusedNamingTheFileAndField() throws Exception {
    for (String bad :
        List.of(
            "{not json",
            "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"bridge\"}]}",
            "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[]}",
            "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[{\"type\":\"../../bin/sh\"}]}")) {
      Path f = Files.writeString(work.resolve("bad.conflist"), bad);
      CniException e = assertThrows(CniException.class, () -> CniConfigList.read(f));
      assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
  }

  @Test
  void aPluginThatHangsIsKilledAfterTheTimeLimit() throws Exception {
    Path dir = Files.createDirectories(work.resolve("plugins"));
    Path hang = dir.resolve("hang");
    Files.writeString(hang, "#!/bin/sh\nsleep 600\n");
    Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwx------"));
    Path conf =
        Files.writeString(
            work.resolve("h.conflist"),
            "{\"cniVersion\":\"1.0.0\",\"name\":\"h\",\"plugins\":[{\"type\":\"hang\"}]}");
    CniNetwork net =
        new CniNetwork(
            CniConfigList.read(conf), new CniPlugins(List.of(dir), Duration.ofMillis(500)));
    CniPlugins.Call call = new CniPlugins.Call("h-" + tag, netns("h"), "eth0", null);
    CniException e =
        assertThrows(CniException.class, () -> net.add(call, CniNetwork.RuntimeConfig.NONE));
    assertTrue(e.getMessage().contains("plugin hang: did not finish within"), e.getMessage());
    assertFalse(
        Shell.run("pgrep", "-f", "sleep 600").lines().anyMatch(l -> !l.isBlank()),
        "the plugin and its children are gone");
  }

  @Test
  void aPluginsErrorResultIsShownWithItsCodeAndMessage() throws Exception {
    Path dir = Files.createDirectories(work.resolve("plugins"));
    Path fail = dir.resolve("fail");
    Files.writeString(
        fail,
        "#!/bin/sh\ncat >/dev/null\necho '{\"cniVersion\":\"1.0.0\",\"code\":7,"
            + "\"msg\":\"bad subnet\",\"details\":\"10.0.0.0/33\"}'\nexit 1\n");
    Files.setPosixFilePermissions(fail, PosixFilePermissions.fromString("rwx------"));
    Path conf =
        Files.writeString(
            work.resolve("f.conflist"),
            "{\"cniVersion\":\"1.0.0\",\"name\":\"f\",\"plugins\":[{\"type\":\"fail\"}]}");
    // What an agent killed mid-call left in its scratch directory goes when the next one starts.
    Path scratch = Files.createDirectories(work.resolve("scratch"));
    Files.writeString(scratch.resolve("123.out"), "{");
    CniPlugins plugins = new CniPlugins(List.of(dir), Duration.ofSeconds(5), scratch);
    assertEquals(List.of(), listed(scratch));
    CniNetwork net = new CniNetwork(CniConfigList.read(conf), plugins);
    CniException e =
        assertThrows(
            CniException.class,
            () ->
                net.add(
                    new CniPlugins.Call("f-" + tag, netns("f"), "eth0", null),
                    CniNetwork.RuntimeConfig.NONE));
    assertEquals(7, e.code());
    assertTrue(
        e.getMessage().contains("error 7 (invalid network config): bad subnet (10.0.0.0/33)"),
        e.getMessage());
    assertEquals(List.of(), listed(scratch), "the plugin's output files are gone");
  }

  private static List<Path> listed(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.toList();
    }
  }
}
