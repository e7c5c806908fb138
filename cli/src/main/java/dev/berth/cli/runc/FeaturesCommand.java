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
    linux.put("seccomp", Map.of("enabled", false));
    linux.put("apparmor", Map.of("enabled", false));
    linux.put("selinux", Map.of("enabled", false));
    f.put("linux", linux);
    f.put("annotations", Map.of("dev.berth.runtime.version", "0.1.0"));
    System.out.println(JsonMapping.write(f));
    return 0;
  }
}
