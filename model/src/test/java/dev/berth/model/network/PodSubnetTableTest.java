package dev.berth.model.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PodSubnetTableTest {
  @Test
  void nodesGetDistinctSubnetsInOrderAndKeepTheirs() {
    PodSubnetTable t = PodSubnetTable.of("10.244.0.0/16", 24);
    PodSubnetTable.Claim a = t.claim("a", null);
    PodSubnetTable.Claim b = a.table().claim("b", null);
    assertEquals("10.244.0.0/24", a.subnet());
    assertEquals("10.244.1.0/24", b.subnet());
    PodSubnetTable.Claim again = b.table().claim("a", "10.244.9.0/24");
    assertEquals("10.244.0.0/24", again.subnet(), "a node keeps what it holds");
    assertSame(b.table(), again.table(), "nothing to write");
  }

  @Test
  void aPreferredSubnetIsTakenOnlyWhenFreeAndInThePlan() {
    PodSubnetTable t = PodSubnetTable.of("10.244.0.0/16", 24).claim("a", null).table();
    assertEquals("10.244.7.0/24", t.claim("b", "10.244.7.0/24").subnet());
    assertEquals("10.244.1.0/24", t.claim("b", "10.244.0.0/24").subnet(), "taken by a");
    assertEquals("10.244.1.0/24", t.claim("b", "10.245.0.0/24").subnet(), "outside the range");
    assertEquals("10.244.1.0/24", t.claim("b", "10.244.7.0/25").subnet(), "wrong length");
    assertEquals("10.244.1.0/24", t.claim("b", "garbage").subnet());
  }

  @Test
  void aReleasedSubnetIsReusedAndAnExhaustedRangeSaysSo() {
    PodSubnetTable t = PodSubnetTable.of("10.0.0.0/23", 24);
    t = t.claim("a", null).table().claim("b", null).table();
    PodSubnetTable full = t;
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> full.claim("c", null));
    assertTrue(e.getMessage().contains("10.0.0.0/23 is exhausted"), e.getMessage());
    assertEquals("10.0.0.0/24", t.release("a").claim("c", null).subnet());
  }

  @Test
  void aPlanThatCannotBeDividedIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> PodSubnetTable.of("10.244.0.0/24", 16));
    assertThrows(IllegalArgumentException.class, () -> PodSubnetTable.of("10.244.1.0/16", 24));
    assertThrows(IllegalArgumentException.class, () -> PodSubnetTable.of("10.244.0.0", 24));
    assertThrows(IllegalArgumentException.class, () -> PodSubnetTable.of("10.244.0.300/24", 24));
  }

  @Test
  void cidrArithmetic() {
    Ipv4Cidr r = Ipv4Cidr.parse("10.88.0.0/16");
    assertEquals("10.88.3.0/24", r.subnet(3, 24).toString());
    assertEquals("10.88.3.1", r.subnet(3, 24).host(1));
    assertTrue(r.overlaps(Ipv4Cidr.parse("10.0.0.0/8")));
    assertTrue(r.contains(Ipv4Cidr.parse("10.88.255.0/24")));
    assertTrue(!r.overlaps(Ipv4Cidr.parse("10.89.0.0/16")));
    assertEquals(256, r.subnetCount(24));
  }
}
