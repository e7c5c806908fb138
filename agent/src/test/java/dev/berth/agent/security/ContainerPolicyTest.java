package dev.berth.agent.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.fleet.CapabilityChanges;
import dev.berth.model.fleet.SecurityContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node's own checks of what an assignment asks (it arrives over Kafka, after the API's
 * validation): no way to an unlimited pids count, root by a -1 id, or a capability beyond policy.
 */
class ContainerPolicyTest {
  private final ContainerPolicy policy = ContainerPolicy.DEFAULT;

  @Test
  void aPidsLimitIsAlwaysOneAndWithinTheNodesMaximum() {
    assertEquals(2048, policy.pids(null));
    assertEquals(20, policy.pids(20));
    assertThrows(IllegalArgumentException.class, () -> policy.pids(0));
    assertThrows(IllegalArgumentException.class, () -> policy.pids(-5));
    assertThrows(IllegalArgumentException.class, () -> policy.pids(100_000));
  }

  @Test
  void anIdOutOfRangeIsRefusedRatherThanLeftAsTheRuntimesOwn() {
    assertEquals(1000, ContainerPolicy.id(null, 1000, "runAsUser"));
    assertEquals(0, ContainerPolicy.id(0L, 1000, "runAsUser"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ContainerPolicy.id(-1L, 1000, "runAsUser"));
    assertTrue(e.getMessage().contains("securityContext.runAsUser -1"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ContainerPolicy.id(4_294_967_295L, 0, "runAsGroup"));
  }

  @Test
  void everyContainerGetsAUserNamespaceAndTheHostsIdsOnlyWhereTheNodeAllowsThem() {
    SecurityContext hostUsers = new SecurityContext(null, null, null, null, true);
    assertTrue(policy.userNamespace(null));
    assertTrue(policy.userNamespace(new SecurityContext(null, 0L, 0L, false, false)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> policy.userNamespace(hostUsers));
    assertTrue(e.getMessage().contains("securityContext.hostUsers"), e.getMessage());
    ContainerPolicy permissive =
        new ContainerPolicy(
            2048,
            32768,
            ContainerPolicy.DOCKER_DEFAULT_CAPABILITIES,
            ContainerPolicy.DOCKER_DEFAULT_CAPABILITIES,
            true,
            true);
    assertFalse(permissive.userNamespace(hostUsers));
    assertTrue(permissive.userNamespace(null));
  }

  @Test
  void aPrivilegedContainerIsRefusedUnlessTheNodeAllowsItAndThenRunsWithTheHostsIds() {
    SecurityContext privileged = new SecurityContext(null, null, null, null, null, true);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> policy.privileged(privileged));
    assertTrue(e.getMessage().contains("--allow-privileged"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> policy.userNamespace(privileged));
    assertFalse(policy.privileged(null));
    ContainerPolicy allowing = policy.allowing(false, true);
    assertTrue(allowing.privileged(privileged));
    assertFalse(allowing.userNamespace(privileged), "privileged: the host's ids");
    assertTrue(allowing.userNamespace(null), "the others keep their user namespaces");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            policy
                .allowing(false, false)
                .userNamespace(new SecurityContext(null, null, null, null, true)));
  }

  @Test
  void capabilitiesAreDroppedAndAddedBackOnlyWithinPolicy() {
    assertEquals(14, policy.capabilities(null).size());
    assertEquals(
        List.of("CAP_NET_BIND_SERVICE"),
        policy.capabilities(
            new SecurityContext(
                new CapabilityChanges(List.of("net_bind_service"), List.of("ALL")),
                null,
                null,
                null)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            policy.capabilities(
                new SecurityContext(
                    new CapabilityChanges(List.of("CAP_SYS_ADMIN"), null), null, null, null)));
  }
}
