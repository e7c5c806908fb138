package dev.berth.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.security.DefaultSeccomp;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.testing.BusyboxBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * linux.seccomp through bin/berth-runc and through runc 1.1.5 on the same bundles: what the
 * container's programs see (output, exit status) must be the same, for the OCI validation suite's
 * seccomp case (default allow, getcwd refused) and for every action, errno return, argument
 * condition, unknown syscall name, flag and bad filter. The validation suite itself cannot be built
 * on this machine (no Go module proxy), so its case is reproduced here beside the rest.
 */
class SeccompLikeRuncIT {
  private static final String X86 = "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]";
  private static Path work;
  private static final Path LAUNCHER =
      Path.of(System.getProperty("berth.home", "..")).resolve("bin/berth-runc").toAbsolutePath();
  private static final Path RUNC = Path.of("/usr/sbin/runc");
  private static int next;

  @BeforeAll
  static void setUp() throws Exception {
    work = Files.createTempDirectory("berth-seccomp-runc-");
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (Path root : List.of(work.resolve("berth-state"), work.resolve("runc-state"))) {
      if (Files.isDirectory(root)) {
        try (var ids = Files.list(root)) {
          for (Path id : ids.toList()) {
            String runtime = root.endsWith("berth-state") ? LAUNCHER.toString() : RUNC.toString();
            run(
                List.of(
                    runtime,
                    "--root",
                    root.toString(),
                    "delete",
                    "--force",
                    id.getFileName().toString()));
          }
        }
      }
    }
    BusyboxBundle.deleteTree(work);
  }

  private static CommandOutcome run(List<String> cmd) throws Exception {
    return CommandOutcome.run(cmd, work, 120);
  }

  /** Runs the script under the filter with runc and with berth-runc; returns {runc, berth}. */
  private static CommandOutcome[] both(String script, String seccomp) throws Exception {
    JsonNode filter = JsonMapping.mapper().readTree(seccomp);
    CommandOutcome[] outcomes = new CommandOutcome[2];
    int i = 0;
    for (Path runtime : List.of(RUNC, LAUNCHER)) {
      String name = "s" + next++;
      BusyboxBundle b =
          BusyboxBundle.create(work, name, script)
              .edit(
                  c -> {
                    ((ObjectNode) c.path("linux")).set("seccomp", filter);
                    ((ObjectNode) c.path("root")).put("readonly", false);
                  });
      String state = runtime == RUNC ? "runc-state" : "berth-state";
      List<String> cmd =
          new ArrayList<>(List.of(runtime.toString(), "--root", work.resolve(state).toString()));
      cmd.addAll(List.of("run", "--bundle", b.dir().toString(), name));
      outcomes[i++] = run(cmd);
    }
    return outcomes;
  }

  private static void assertSame(CommandOutcome[] o) {
    assertEquals(o[0].exit(), o[1].exit(), "exit status: runc " + o[0] + " berth " + o[1]);
    assertEquals(o[0].out(), o[1].out(), "what the container printed");
    assertEquals(o[0].err(), o[1].err(), "what the container printed on stderr");
  }

  @Test
  void theValidationSuitesCaseGetcwdRefusedUnderDefaultAllowIsSeenAlike() throws Exception {
    CommandOutcome[] o =
        both(
            "cd /tmp; busybox pwd; echo pwd=$?; echo fine",
            "{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                + X86
                + ",\"syscalls\":[{\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
    assertSame(o);
    assertTrue(o[1].out().contains("pwd=1") && o[1].out().contains("fine"), o[1].out());
  }

  @Test
  void errnoReturnsKillTrapAndLogActionsEndTheSameWay() throws Exception {
    String[][] cases = {
      {
        "mkdir /tmp/x; echo mkdir=$?; rmdir /tmp; echo rmdir=$?",
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
            + "{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":28},"
            + "{\"names\":[\"rmdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}"
      },
      {
        "echo before; sh -c 'busybox uname -a >/dev/null'; echo uname=$?",
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"uname\"],\"action\":\"SCMP_ACT_KILL\"}]}"
      },
      {
        "echo before; sh -c 'busybox uname -a >/dev/null'; echo uname=$?",
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"uname\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}"
      },
      {
        "sh -c 'busybox uname -s'; echo uname=$?",
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"uname\"],\"action\":\"SCMP_ACT_TRAP\"}]}"
      },
      {
        "busybox uname -s; echo uname=$?",
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"uname\"],\"action\":\"SCMP_ACT_LOG\"}]}"
      },
      {"busybox uname -s; echo uname=$?", "{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[]}"},
    };
    for (String[] c : cases) {
      CommandOutcome[] o = both(c[0], c[1]);
      assertSame(o);
    }
  }

  @Test
  void argumentConditionsAndUnknownSyscallNamesAreTreatedAlike() throws Exception {
    // kill(pid, SIGUSR1) refused, any other signal allowed; a name libseccomp does not know is
    // skipped by both runtimes rather than failing the container
    CommandOutcome[] o =
        both(
            "trap 'echo got-usr2' USR2; kill -USR1 $$; echo usr1=$?; kill -USR2 $$; echo usr2=$?",
            "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                + "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":10,\"op\":\"SCMP_CMP_EQ\"}]},"
                + "{\"names\":[\"no_such_syscall_here\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
    assertSame(o);
    assertTrue(o[1].out().contains("usr1=1") && o[1].out().contains("got-usr2"), o[1].out());
    // masked equality on personality's argument
    o =
        both(
            "busybox setarch linux32 true; echo setarch=$?",
            "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                + "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":8,\"valueTwo\":8,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}");
    assertSame(o);
  }

  @Test
  void dockersDefaultProfileRefusesAndAllowsTheSameCalls() throws Exception {
    // the fleet's default profile for runc's default capability set, as the agent renders it
    String profile =
        JsonMapping.write(
            DefaultSeccomp.forContainer(
                Set.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"),
                DefaultSeccomp.machine()));
    CommandOutcome[] o =
        both(
            "busybox unshare -U true; echo unshare=$?; mkdir -p /mnt/t; busybox mount -t tmpfs t /mnt/t; echo mount=$?;"
                + " busybox nsenter -t 1 -m true; echo nsenter=$?; echo ok > /tmp/f && cat /tmp/f;"
                + " busybox swapoff -a; echo swapoff=$?",
            profile);
    assertSame(o);
    assertTrue(o[1].out().contains("unshare=1") && o[1].out().contains("ok"), o[1].out());
  }

  @Test
  void aFilterNeitherRuntimeCanLoadIsRefusedByBoth() throws Exception {
    CommandOutcome[] o =
        both("echo never", "{\"defaultAction\":\"SCMP_ACT_BOGUS\",\"syscalls\":[]}");
    assertNotEquals(0, o[0].exit(), o[0].err());
    assertNotEquals(0, o[1].exit(), o[1].err());
    assertTrue(!o[1].out().contains("never"), o[1].out());
  }
}
