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

/** berth up's default network: written only when none is configured, on a subnet no route uses. */
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
  void itIsAValidConfigListWrittenOnlyWhenNoneExists() throws Exception {
    Path conf = dir.resolve("net.d");
    Path file = DefaultNetwork.ensure(conf, "berth0", dir.resolve("ipam"));
    CniConfigList list = CniConfigList.read(file);
    assertEquals("berth", list.name());
    assertEquals(List.of("bridge", "portmap", "firewall"), list.types());
    assertNull(DefaultNetwork.ensure(conf, "berth0", dir.resolve("ipam")), "kept as it is");
    Files.delete(file);
    Files.writeString(conf.resolve("05-mine.conflist"), "{}");
    assertNull(DefaultNetwork.ensure(conf, "berth0", dir.resolve("ipam")), "the user's own wins");
    assertFalse(Files.exists(conf.resolve(DefaultNetwork.FILE)));
  }
}
