package dev.berth.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.network.cni.CniException;
import dev.berth.agent.network.cni.CniPlugins;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers' namespaces attached through Debian's CNI plugins and recorded: a fresh instance (an
 * agent after SIGKILL) detaches from the record alone; NONE has only its loopback, up; a failed
 * attach leaves no namespace, record or veth.
 */
class ContainerNetworksTest {
  private static final CniPlugins PLUGINS =
      new CniPlugins(List.of(Path.of("/usr/lib/cni")), Duration.ofSeconds(10));
  private final String tag = Long.toString(ProcessHandle.current().pid() % 100_000);
  private final String bridge = "bnet" + tag;
  private final String node = "n" + tag;
  private final List<Path> records = new ArrayList<>();
  private Path work;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("berth-net-");
  }

  @AfterEach
  void tearDown() throws Exception {
    ContainerNetworks cleanup = new ContainerNetworks(PLUGINS, null, node);
    for (Path r : records) {
      cleanup.detach(r); // what a test left attached
    }
    Shell.run("ip", "link", "delete", bridge);
    FileTrees.delete(work);
  }

  private static String inNetns(NetworkAttachment a, String... cmd) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of("ip", "netns", "exec", Path.of(a.netns()).getFileName().toString()));
    all.addAll(List.of(cmd));
    return Shell.run(all.toArray(String[]::new));
  }

  private ContainerNetworks networks(String subnet) throws Exception {
    Path dir = Files.createDirectories(work.resolve("net.d"));
    Files.writeString(
        dir.resolve("10-berth.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"t"
            + tag
            + "\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\""
            + bridge
            + "\",\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
            + work.resolve("ipam")
            + "\",\"ranges\":[[{\"subnet\":\""
            + subnet
            + "\"}]]}}]}");
    return new ContainerNetworks(PLUGINS, ContainerNetworks.firstNetwork(dir, PLUGINS), node);
  }

  private Path record(String id) throws IOException {
    Path r = ContainerNetworks.recordIn(Files.createDirectories(work.resolve("bundles/" + id)));
    records.add(r);
    return r;
  }

  @Test
  void anAttachmentIsRecordedAndAFreshInstanceDetachesItFromTheRecordAlone() throws Exception {
    Path record = record("c1");
    NetworkAttachment a =
        networks("10.213.90.0/24").attach("c1", record, ContainerNetworks.Mode.DEFAULT, List.of());
    assertTrue(a.ip().startsWith("10.213.90."), a.ip());
    assertEquals(a, ContainerNetworks.read(record), "recorded as attached");
    String links = inNetns(a, "ip", "-o", "addr");
    assertTrue(links.contains("inet 127.0.0.1/8"), "loopback up: " + links);
    assertTrue(links.contains("eth0") && links.contains(a.ip() + "/24"), links);

    // The agent was SIGKILLed: a new one knows nothing but the record.
    new ContainerNetworks(PLUGINS, null, node).detach(record);
    assertFalse(Files.exists(record));
    assertFalse(Files.exists(Path.of(a.netns())), "the namespace is unpinned");
    assertFalse(Files.exists(work.resolve("ipam/t" + tag + "/" + a.ip())), "the address is free");
    assertEquals("", Shell.run("ip", "link", "show", "master", bridge).strip(), "no veth left");
  }

  @Test
  void networkNoneHasOnlyItsLoopbackAndItIsUp() throws Exception {
    NetworkAttachment a =
        networks("10.213.91.0/24")
            .attach("c2", record("c2"), ContainerNetworks.Mode.NONE, List.of());
    assertNull(a.ip());
    List<String> links = inNetns(a, "ip", "-o", "link").lines().toList();
    assertEquals(1, links.size(), links.toString());
    assertTrue(links.get(0).contains("lo:") && links.get(0).contains("UP"), links.get(0));
  }

  @Test
  void aFailedAttachLeavesNoNamespaceRecordOrVeth() throws Exception {
    ContainerNetworks nets = networks("10.213.92.0/30"); // one address
    nets.attach("c3", record("c3"), ContainerNetworks.Mode.DEFAULT, List.of());
    Path second = record("c4");
    CniException e =
        assertThrows(
            CniException.class,
            () -> nets.attach("c4", second, ContainerNetworks.Mode.DEFAULT, List.of()));
    assertTrue(e.getMessage().contains("no IP addresses available"), e.getMessage());
    assertFalse(Files.exists(second), "no record");
    assertFalse(Files.exists(Path.of("/run/netns/" + nets.netnsName("c4"))), "no namespace");
    assertEquals(1, Shell.run("ip", "-o", "link", "show", "master", bridge).lines().count());
  }

  @Test
  void noConfigMeansNoNetworkAndAMissingPluginIsNamed() throws Exception {
    assertNull(ContainerNetworks.firstNetwork(work.resolve("absent"), PLUGINS));
    Path dir = Files.createDirectories(work.resolve("bad.d"));
    Files.writeString(
        dir.resolve("00-x.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[{\"type\":\"flannel\"}]}");
    CniException e =
        assertThrows(CniException.class, () -> ContainerNetworks.firstNetwork(dir, PLUGINS));
    assertTrue(e.getMessage().contains("containernetworking-plugins"), e.getMessage());
  }
}
