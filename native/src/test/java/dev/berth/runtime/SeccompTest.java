package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.testing.BusyboxBundle;
import dev.berth.runtime.testing.RuntimeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * linux.seccomp applied by berth-init through libseccomp: rules, errno returns, argument
 * conditions, with and without no_new_privs, for exec'd processes too; bad filters refused.
 */
class SeccompTest extends RuntimeTestSupport {
  private static JsonNode json(String text) throws Exception {
    return JsonMapping.mapper().readTree(text);
  }

  private BusyboxBundle filtered(String script, String seccomp, boolean noNewPrivileges)
      throws Exception {
    JsonNode filter = json(seccomp);
    return bundle(script)
        .edit(
            c -> {
              ((ObjectNode) c.path("linux")).set("seccomp", filter);
              ((ObjectNode) c.path("process")).put("noNewPrivileges", noNewPrivileges);
            });
  }

  private static final String NO_MKDIR =
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
          + "\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\"},"
          + "{\"names\":[\"rmdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38},"
          + "{\"names\":[\"no_such_syscall_here\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";

  @Test
  void aFilteredSyscallFailsWithItsErrnoAndTheRestRunWithOrWithoutNoNewPrivs() throws Exception {
    for (boolean nnp : new boolean[] {true, false}) {
      Result r =
          run(
              filtered(
                  "mkdir /tmp/d 2>&1; echo mkdir=$?; rmdir /tmp 2>&1; echo rmdir=$?; echo fine",
                  NO_MKDIR,
                  nnp));
      assertEquals(0, r.exitCode(), r.stderr());
      assertTrue(r.stdout().contains("Operation not permitted"), "EPERM by default: " + r.stdout());
      assertTrue(r.stdout().contains("mkdir=1"), r.stdout());
      assertTrue(r.stdout().contains("Function not implemented"), "errnoRet 38: " + r.stdout());
      assertTrue(r.stdout().contains("rmdir=1"), r.stdout());
      assertTrue(r.stdout().contains("fine"), "no_new_privs " + nnp + ": " + r.stdout());
    }
  }

  @Test
  void aProfileIsCompiledOnceAndLaterContainersLoadTheSameFilterFromTheRuntimesCache()
      throws Exception {
    Path cache = stateRoot.resolve(".seccomp");
    Result first = run(filtered("mkdir /tmp/d 2>&1; echo mkdir=$?", NO_MKDIR, true));
    assertTrue(first.stdout().contains("mkdir=1"), first.stdout());
    List<Path> files = compiledFilters(cache);
    assertEquals(1, files.size(), "one compiled filter: " + files);
    assertEquals(
        "rwx------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(cache)));
    Object inode = Files.getAttribute(files.get(0), "unix:ino");
    Result second = run(filtered("mkdir /tmp/d 2>&1; echo mkdir=$?; echo fine", NO_MKDIR, false));
    assertTrue(second.stdout().contains("mkdir=1"), "the cached filter refuses too: " + second);
    assertTrue(second.stdout().contains("fine"), second.stdout());
    assertEquals(inode, Files.getAttribute(files.get(0), "unix:ino"), "read, not written again");
    // another profile is another filter: rmdir allowed this time
    String onlyMkdir =
        NO_MKDIR.replace(
            ",{\"names\":[\"rmdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}", "");
    Result third = run(filtered("rmdir /tmp 2>&1; echo rmdir=$?", onlyMkdir, true));
    assertTrue(third.stdout().contains("rmdir=1"), third.stdout());
    assertTrue(
        !third.stdout().contains("Function not implemented"),
        "the kernel's answer, not the first profile's errno 38: " + third.stdout());
    assertEquals(2, compiledFilters(cache).size());
  }

  private static List<Path> compiledFilters(Path cache) throws Exception {
    try (var l = Files.list(cache)) {
      return l.filter(f -> f.toString().endsWith(".bpf")).toList();
    }
  }

  @Test
  void argumentConditionsFilterOnlyTheMatchingCalls() throws Exception {
    // No setuid bit, whatever the rest of the mode: chmod's mode is argument 1, fchmodat's 2.
    String noSetuid =
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
            + "{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,"
            + "\"value\":2048,\"valueTwo\":2048,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
            + "{\"names\":[\"fchmodat\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":2,"
            + "\"value\":2048,\"valueTwo\":2048,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}";
    Result r =
        run(
            filtered(
                "touch /dev/shm/f; chmod 755 /dev/shm/f; echo plain=$?; chmod 4755 /dev/shm/f"
                    + " 2>/dev/null; echo setuid=$?; ls -l /dev/shm/f",
                noSetuid,
                true));
    assertTrue(r.stdout().contains("plain=0"), r.stdout());
    assertTrue(r.stdout().contains("setuid=1"), r.stdout());
    assertTrue(r.stdout().contains("-rwxr-xr-x"), "the mode stayed 755: " + r.stdout());
  }

  @Test
  void anExecdProcessGetsTheContainersFilter() throws Exception {
    String id = newId("seccomp");
    runtime.create(
        id, filtered("sleep 60", NO_MKDIR, true).dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    // The runtime's copies of profiles and filters can be pruned while a container runs: its exec
    // is filtered all the same (the container keeps its own link to the profile).
    try (var l = Files.list(stateRoot.resolve(".seccomp"))) {
      for (Path f : l.toList()) {
        Files.delete(f);
      }
    }
    Path out = work.resolve("exec.out");
    assertEquals(
        0, execInto(id, execProcess(List.of("sh", "-c", "mkdir /tmp/e 2>&1; echo mkdir=$?")), out));
    assertTrue(Files.readString(out).contains("mkdir=1"), Files.readString(out));
    runtime.delete(id, true);
  }

  @Test
  void aKillRuleKillsTheProcessWithSigsys() throws Exception {
    String kill =
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
            + "\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}";
    Result r = run(filtered("exec mkdir /tmp/k", kill, true));
    assertEquals(128 + 31, r.exitCode(), "SIGSYS: " + r.stdout() + r.stderr());
  }

  @Test
  void badFiltersAreRefusedNamingTheFieldAndNothingRuns() {
    String[][] cases = {
      {"{\"defaultAction\":\"SCMP_ACT_MAYBE\"}", "linux.seccomp.defaultAction"},
      {
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
            + "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":7,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
        "linux.seccomp.syscalls[0].args[0].index"
      },
      {
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_Z80\"]}",
        "linux.seccomp.architectures[0]"
      },
      {
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
            + "\"action\":\"SCMP_ACT_NOTIFY\"}],\"listenerPath\":\"/run/l.sock\"}",
        "SCMP_ACT_NOTIFY is not supported"
      },
      {
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
            + "\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":5}]}",
        "linux.seccomp.syscalls[0].action"
      },
    };
    for (String[] c : cases) {
      String id = newId("badsec");
      ContainerException e =
          assertThrows(
              ContainerException.class,
              () ->
                  runtime.create(
                      id,
                      filtered("echo ran", c[0], true).dir(),
                      CreateOptions.monitored(capture(id))),
              c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[1] + " in: " + e.getMessage());
      assertEquals(List.of(), runtime.list());
    }
  }
}
