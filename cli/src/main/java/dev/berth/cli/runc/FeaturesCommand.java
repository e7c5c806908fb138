package dev.berth.cli.runc;

import dev.berth.model.JsonMapping;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.process.CapabilityNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** runc features: what this runtime supports, in the runtime-spec features.md format. */
@Command(name = "features", description = "show the enabled features")
final class FeaturesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("ociVersionMin", "1.0.0");
    f.put("ociVersionMax", ContainerRuntime.OCI_VERSION);
    f.put(
        "hooks",
        List.of(
            "prestart",
            "createRuntime",
            "createContainer",
            "startContainer",
            "poststart",
            "poststop"));
    f.put(
        "mountOptions",
        List.of(
            "async",
            "atime",
            "bind",
            "defaults",
            "dev",
            "diratime",
            "dirsync",
            "exec",
            "mand",
            "noatime",
            "nodev",
            "nodiratime",
            "noexec",
            "nomand",
            "norelatime",
            "nostrictatime",
            "nosuid",
            "private",
            "rbind",
            "relatime",
            "remount",
            "ro",
            "rprivate",
            "rshared",
            "rslave",
            "runbindable",
            "rw",
            "shared",
            "slave",
            "strictatime",
            "suid",
            "sync",
            "unbindable"));
    Map<String, Object> linux = new LinkedHashMap<>();
    linux.put("namespaces", List.of("cgroup", "ipc", "mount", "network", "pid", "user", "uts"));
    linux.put("capabilities", CapabilityNames.ALL);
    linux.put("cgroup", Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false));
    // As runc reports them: what linux.seccomp may name (SCMP_ACT_NOTIFY and its flag excepted).
    linux.put(
        "seccomp",
        Map.of(
            "enabled",
            true,
            "actions",
            List.of(
                "SCMP_ACT_ALLOW",
                "SCMP_ACT_ERRNO",
                "SCMP_ACT_KILL",
                "SCMP_ACT_KILL_PROCESS",
                "SCMP_ACT_KILL_THREAD",
                "SCMP_ACT_LOG",
                "SCMP_ACT_TRACE",
                "SCMP_ACT_TRAP"),
            "operators",
            List.of(
                "SCMP_CMP_EQ",
                "SCMP_CMP_GE",
                "SCMP_CMP_GT",
                "SCMP_CMP_LE",
                "SCMP_CMP_LT",
                "SCMP_CMP_MASKED_EQ",
                "SCMP_CMP_NE"),
            "archs",
            List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32"),
            "knownFlags",
            List.of(
                "SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_LOG"),
            "supportedFlags",
            List.of(
                "SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_LOG")));
    linux.put("apparmor", Map.of("enabled", false));
    linux.put("selinux", Map.of("enabled", false));
    f.put("linux", linux);
    f.put("annotations", Map.of("dev.berth.runtime.version", "0.1.0"));
    System.out.println(JsonMapping.write(f));
    return 0;
  }
}
