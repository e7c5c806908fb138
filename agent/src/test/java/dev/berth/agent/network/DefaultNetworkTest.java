package dev.berth.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.network.cni.CniConfigList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network an agent writes for itself: on its pod subnet, unless the operator configured one.
 */
class DefaultNetworkTest {
  @TempDir Path dir;

  @Test
  void theSubnetAvoidsEveryRouteOfTheHost() throws Exception {
    assertEquals("10.88.0.0/16", DefaultNetwork.freeSubnet(List.of("192.0.2.0/24")));
    assertEquals("10.89.0.0/16", DefaultNetwork.freeSubnet(List.of("10.88.5.0/24")));
    assertEquals("172.29.0.0/16", DefaultNetwork.freeSubnet(List.of("10.0.0.0/8")));
    assertThrows(
        IOException.class, () -> DefaultNetwork.freeSubnet(List.of("10.0.0.0/8", "172.16.0.0/12")));
    String chosen = DefaultNetwork.freeSubnet(DefaultNetwork.hostRoutes());
    assertTrue(
        DefaultNetwork.hostRoutes().stream().noneMatch(r -> DefaultNetwork.overlaps(r, chosen)),
        "this host's routes: " + DefaultNetwork.hostRoutes());
  }

  @Test
  void itIsAValidConfigListOnTheNodesSubnetThatTheOperatorsOwnOverrides() throws Exception {
    Path conf = dir.resolve("net.d");
    assertFalse(DefaultNetwork.operatorConfigured(conf), "no directory yet");
    assertNull(DefaultNetwork.writtenSubnet(conf));
    Path file = DefaultNetwork.write(conf, "berth0", "10.88.3.0/24", dir.resolve("ipam"));
    CniConfigList list = CniConfigList.read(file);
    assertEquals("berth", list.name());
    assertEquals(List.of("bridge", "portmap", "firewall"), list.types());
    assertEquals("10.88.3.0/24", DefaultNetwork.writtenSubnet(conf));
    assertFalse(DefaultNetwork.operatorConfigured(conf), "Berth's own file is not the operator's");
    DefaultNetwork.write(conf, "berth0", "10.88.4.0/24", dir.resolve("ipam"));
    assertEquals("10.88.4.0/24", DefaultNetwork.writtenSubnet(conf), "rewritten");
    assertThrows(
        IllegalArgumentException.class,
        () -> DefaultNetwork.write(conf, "berth0", "10.88.4.1/24", dir.resolve("ipam")));
    Files.writeString(conf.resolve("05-mine.conflist"), "{}");
    assertTrue(DefaultNetwork.operatorConfigured(conf), "the operator's own wins");
  }
}
