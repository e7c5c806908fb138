package dev.berth.agent.security;

import dev.berth.model.runtime.DeviceRule;
import dev.berth.model.runtime.Linux;
import dev.berth.model.runtime.LinuxDevice;
import dev.berth.model.runtime.Mount;
import dev.berth.model.runtime.Resources;
import dev.berth.model.runtime.Spec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What makes a container privileged, as Docker's --privileged and containerd's privileged
 * containers: every host device node and every device allowed in its cgroup, sysfs and the cgroup
 * file system writable, no masked or read-only paths, no syscall filter, no_new_privs off. Its
 * capabilities (all of them) and host ids are the launcher's to give.
 */
public final class PrivilegedSpec {
  private static final Set<String> WRITABLE_WHEN_PRIVILEGED = Set.of("sysfs", "cgroup", "cgroup2");

  private PrivilegedSpec() {}

  /** {@code spec} made privileged, with the host's device nodes {@code hostDevices}. */
  public static Spec of(Spec spec, List<LinuxDevice> hostDevices) {
    Linux linux = spec.linux();
    Map<String, LinuxDevice> nodes = new LinkedHashMap<>();
    for (LinuxDevice d : linux.devices() == null ? List.<LinuxDevice>of() : linux.devices()) {
      nodes.put(d.path(), d);
    }
    hostDevices.forEach(d -> nodes.putIfAbsent(d.path(), d));
    Resources resources = linux.resources() == null ? Resources.none() : linux.resources();
    List<DeviceRule> everyDevice = List.of(new DeviceRule(true, "a", null, null, "rwm", null));
    List<Mount> mounts = new ArrayList<>();
    for (Mount m : spec.mounts() == null ? List.<Mount>of() : spec.mounts()) {
      mounts.add(WRITABLE_WHEN_PRIVILEGED.contains(m.type()) ? writable(m) : m);
    }
    return spec.withMounts(mounts)
        .withProcess(spec.process().withNoNewPrivileges(false))
        .withLinux(
            linux
                .withDevicesUnmasked(List.copyOf(nodes.values()))
                .withResources(resources.withDevices(everyDevice))
                .withSeccomp(null));
  }

  private static Mount writable(Mount m) {
    List<String> options = new ArrayList<>(m.options() == null ? List.of() : m.options());
    options.removeIf(o -> o.equals("ro"));
    return new Mount(
        m.destination(),
        m.source(),
        m.type(),
        options,
        m.uidMappings(),
        m.gidMappings(),
        m.extra());
  }
}
