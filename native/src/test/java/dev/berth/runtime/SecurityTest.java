package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.testing.RuntimeTestSupport;
import org.junit.jupiter.api.Test;

/** Identity and privileges: users, capabilities, rlimits, no_new_privs. */
class SecurityTest extends RuntimeTestSupport {
  @Test
  void aDroppedCapabilityIsReallyRefused() throws Exception {
    // The default config keeps only AUDIT_WRITE, KILL and NET_BIND_SERVICE: no CAP_SYS_ADMIN.
    Result r = run(bundle("hostname changed; echo status=$?"));
    assertTrue(r.stdout().contains("status=1"), r.stdout());
    assertTrue(r.stderr().contains("Operation not permitted"), r.stderr());
  }

  @Test
  void theSameCallWorksWhenTheCapabilityIsGranted() throws Exception {
    Result r =
        run(
            bundle("hostname changed && hostname")
                .edit(
                    c -> {
                      ObjectNode caps = (ObjectNode) c.get("process").get("capabilities");
                      for (String set : new String[] {"bounding", "effective", "permitted"}) {
                        ((ArrayNode) caps.get(set)).add("CAP_SYS_ADMIN");
                      }
                    }));
    assertEquals("changed\n", r.stdout(), r.stderr());
  }

  @Test
  void theCapabilitySetsAreExactlyTheConfiguredOnes() throws Exception {
    Result r = run(bundle("grep -E '^Cap(Eff|Bnd|Prm)' /proc/self/status"));
    // AUDIT_WRITE (29), KILL (5), NET_BIND_SERVICE (10)
    String mask = String.format("%016x", (1L << 29) | (1L << 5) | (1L << 10));
    assertEquals(
        "CapPrm:\t" + mask + "\nCapEff:\t" + mask + "\nCapBnd:\t" + mask + "\n",
        r.stdout(),
        r.stderr());
  }

  @Test
  void theProcessRunsAsTheConfiguredUserAndGroups() throws Exception {
    Result r =
        run(
            bundle("id -u; id -g; id -G")
                .edit(
                    c -> {
                      ObjectNode user = ((ObjectNode) c.get("process")).putObject("user");
                      user.put("uid", 1000).put("gid", 1000).putArray("additionalGids").add(2000);
                    }));
    assertEquals("1000\n1000\n1000 2000\n", r.stdout(), r.stderr());
  }

  @Test
  void rlimitsAndUmaskAreApplied() throws Exception {
    Result r =
        run(
            bundle("ulimit -n; umask")
                .edit(
                    c -> {
                      ((ObjectNode) c.get("process").get("user")).put("umask", 0027);
                    }));
    assertEquals("1024\n0027\n", r.stdout(), r.stderr());
  }

  @Test
  void noNewPrivilegesIsSet() throws Exception {
    Result on = run(bundle("grep NoNewPrivs /proc/self/status"));
    assertEquals("NoNewPrivs:\t1\n", on.stdout());
    Result off =
        run(
            bundle("grep NoNewPrivs /proc/self/status")
                .edit(c -> ((ObjectNode) c.get("process")).put("noNewPrivileges", false)));
    assertNotEquals(on.stdout(), off.stdout());
  }
}
